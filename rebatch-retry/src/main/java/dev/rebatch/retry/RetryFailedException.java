package dev.rebatch.retry;

import dev.rebatch.retry.classify.Outcome;
import java.time.Duration;
import java.util.List;

/**
 * Thrown (or completes the future) when the handler stops without a success. Its cause is the last
 * attempt's failure; {@link #attempts()} tells every attempt's outcome and the wait that followed it.
 */
public final class RetryFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String operationId;
    private final StopReason stopReason;
    private final transient List<AttemptEvent> attempts;
    private final transient Outcome lastOutcome;

    public RetryFailedException(String operationId, StopReason stopReason, List<AttemptEvent> attempts,
            Outcome lastOutcome) {
        super(message(operationId, stopReason, attempts.size(), lastOutcome), lastOutcome.failure());
        this.operationId = operationId;
        this.stopReason = stopReason;
        this.attempts = List.copyOf(attempts);
        this.lastOutcome = lastOutcome;
    }

    public String operationId() {
        return operationId;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** Every attempt, in order; the last one carries the stop reason. */
    public List<AttemptEvent> attempts() {
        return attempts;
    }

    public Outcome lastOutcome() {
        return lastOutcome;
    }

    /** The wait the service asked for in its last answer, or {@code null}. */
    public Duration serverHint() {
        return lastOutcome.serverHint();
    }

    private static String message(String operationId, StopReason reason, int attempts, Outcome last) {
        return "Operation " + operationId + " gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + " (" + reason + "): " + last.describe() + ". " + advice(reason);
    }

    private static String advice(StopReason reason) {
        return switch (reason) {
            case NOT_RETRYABLE -> "The request itself was refused; retrying it unchanged would get the same answer.";
            case RETRIES_EXHAUSTED -> "Every allowed retry failed; check the service, or allow more retries.";
            case DEADLINE_EXCEEDED -> "The operation's deadline left no time for another attempt; allow a longer one.";
            case SERVER_HINT_BEYOND_DEADLINE ->
                    "The service asked to wait beyond the deadline; try again after the hinted time.";
            case SERVER_HINT_TOO_LONG ->
                    "The service asked to wait longer than the handler accepts; try again after the hinted time.";
            case RETRY_BUDGET_EXHAUSTED -> "The client's shared retry budget is empty after many recent retries "
                    + "across its operations: the service is probably failing or overloaded, so this client stopped "
                    + "adding load. The budget refills as calls succeed.";
            case CANCELLED -> "The caller cancelled the operation.";
            case INTERRUPTED -> "The thread was interrupted while waiting to retry.";
            case SUCCEEDED -> "";
        };
    }
}
