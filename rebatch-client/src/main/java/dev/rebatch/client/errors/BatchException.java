package dev.rebatch.client.errors;

import dev.rebatch.retry.RetryFailedException;
import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import java.util.List;

/**
 * Every failure of an SDK call. It says what went wrong in the end ({@link #category()}), why the client stopped
 * trying ({@link #stopReason()}), and every attempt it made with the wait after each ({@link #attempts()}). All
 * attempts of the call used one {@link #clientRequestId()}, which the service logs.
 */
public abstract class BatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Category category;
    private final StopReason stopReason;
    private final String clientRequestId;
    private final transient List<AttemptRecord> attempts;

    protected BatchException(String message, Throwable cause, Category category, StopReason stopReason,
            String clientRequestId, List<AttemptRecord> attempts) {
        super(message, cause);
        this.category = category;
        this.stopReason = stopReason;
        this.clientRequestId = clientRequestId;
        this.attempts = List.copyOf(attempts);
    }

    /** The category of the last attempt's outcome. */
    public Category category() {
        return category;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** The client-request-id every attempt of the call sent. */
    public String clientRequestId() {
        return clientRequestId;
    }

    /** Every attempt in order; the last one has no delay. */
    public List<AttemptRecord> attempts() {
        return attempts;
    }

    /** Turns the retry handler's verdict into the SDK's typed exception. */
    public static BatchException from(RetryFailedException failure, String operation) {
        List<AttemptRecord> attempts = failure.attempts().stream().map(AttemptRecord::of).toList();
        if (failure.getCause() instanceof dev.rebatch.client.http.ErrorResponse response) {
            return new BatchServiceException(operation, response, failure, attempts);
        }
        return new BatchConnectionException(operation, failure, attempts);
    }

    static String attemptsLine(List<AttemptRecord> attempts) {
        StringBuilder s = new StringBuilder(attempts.size() == 1 ? "1 attempt" : attempts.size() + " attempts");
        s.append(" [");
        for (int i = 0; i < attempts.size(); i++) {
            s.append(i == 0 ? "" : "; ").append(attempts.get(i).describe());
        }
        return s.append(']').toString();
    }
}
