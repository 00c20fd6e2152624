package dev.rebatch.retry;

/** Why the handler stopped trying. */
public enum StopReason {
    /** An attempt succeeded. */
    SUCCEEDED,
    /** The outcome's category is not retried by the policy (a 4xx, a conflict, a bug in the caller). */
    NOT_RETRYABLE,
    /** The policy's maximum number of retries was used up. */
    RETRIES_EXHAUSTED,
    /** The operation's overall deadline leaves no time for another attempt. */
    DEADLINE_EXCEEDED,
    /** The service asked to wait longer than the deadline allows; the hint is in the exception. */
    SERVER_HINT_BEYOND_DEADLINE,
    /** The service asked to wait longer than the handler's longest accepted hint. */
    SERVER_HINT_TOO_LONG,
    /** The client's shared retry budget is empty: too many recent retries across all operations. */
    RETRY_BUDGET_EXHAUSTED,
    /** The caller cancelled the operation. */
    CANCELLED,
    /** The waiting thread was interrupted. */
    INTERRUPTED
}
