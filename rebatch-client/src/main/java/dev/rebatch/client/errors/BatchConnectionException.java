package dev.rebatch.client.errors;

import dev.rebatch.retry.RetryFailedException;
import java.util.List;

/**
 * No answer came back for the last attempt: the connection was refused, reset or timed out. Its
 * {@link #category()} says whether the request may have been applied ({@code NETWORK_UNKNOWN}) or was never sent
 * ({@code NETWORK_NOT_SENT}); the cause is what the HTTP client threw.
 */
public final class BatchConnectionException extends BatchException {

    private static final long serialVersionUID = 1L;

    BatchConnectionException(String operation, RetryFailedException failure, List<AttemptRecord> attempts) {
        super(operation + " failed: " + failure.lastOutcome().describe() + " (stopped: " + failure.stopReason()
                        + " after " + attemptsLine(attempts) + ")",
                failure.getCause(), failure.lastOutcome().category(), failure.stopReason(), failure.operationId(),
                attempts);
    }
}
