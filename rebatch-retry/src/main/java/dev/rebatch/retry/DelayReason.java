package dev.rebatch.retry;

/** What decided the length of the wait before a retry. */
public enum DelayReason {
    /** The policy's backoff (with jitter). */
    BACKOFF,
    /** The service's Retry-After (or ms) hint, which was longer than the backoff; a small jitter is added. */
    SERVER_HINT,
    /** The backoff was shortened to leave the last attempt its minimum time before the deadline. */
    DEADLINE
}
