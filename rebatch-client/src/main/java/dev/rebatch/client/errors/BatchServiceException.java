package dev.rebatch.client.errors;

import dev.rebatch.client.http.ErrorResponse;
import dev.rebatch.model.BatchError;
import dev.rebatch.retry.RetryFailedException;
import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import java.time.Duration;
import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The service answered the last attempt with an error: its status, Batch error code, message and details. */
public class BatchServiceException extends BatchException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String errorCode;
    private final String serviceMessage;
    private final transient Map<String, String> values;
    private final String requestId;
    private final Duration retryAfter;

    BatchServiceException(String operation, ErrorResponse response, RetryFailedException failure,
            List<AttemptRecord> attempts) {
        this(operation, response, failure.lastOutcome().category(), failure.stopReason(), failure.operationId(),
                failure.serverHint(), attempts, failure);
    }

    private BatchServiceException(String operation, ErrorResponse response, Category category,
            StopReason stopReason, String clientRequestId, Duration retryAfter, List<AttemptRecord> attempts,
            Throwable cause) {
        super(message(operation, response, stopReason, attempts), cause, category, stopReason, clientRequestId,
                attempts);
        BatchError error = response.error();
        this.statusCode = response.statusCode();
        this.errorCode = error.code();
        this.serviceMessage = error.message() == null ? null : error.message().value();
        this.values = values(error);
        this.requestId = response.header("request-id");
        this.retryAfter = retryAfter;
    }

    /** The same answer, told with a different message (for subclasses that explain it further). */
    protected BatchServiceException(BatchServiceException answer, String message) {
        super(message, answer, answer.category(), answer.stopReason(), answer.clientRequestId(), answer.attempts());
        this.statusCode = answer.statusCode;
        this.errorCode = answer.errorCode;
        this.serviceMessage = answer.serviceMessage;
        this.values = answer.values;
        this.requestId = answer.requestId;
        this.retryAfter = answer.retryAfter;
    }

    public int statusCode() {
        return statusCode;
    }

    /** The Batch error code ("JobExists", "ServerBusy"...), or {@code null} when the answer had no Batch body. */
    public String errorCode() {
        return errorCode;
    }

    /** The service's message, which ends with its RequestId and Time lines. */
    public String serviceMessage() {
        return serviceMessage;
    }

    /** The details naming the offending property, header or parameter, in the service's order. */
    public Map<String, String> values() {
        return values;
    }

    /** The service's request-id of the last attempt, for its logs. */
    public String requestId() {
        return requestId;
    }

    /** How long the service asked the client to wait, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    private static Map<String, String> values(BatchError error) {
        Map<String, String> values = new LinkedHashMap<>();
        if (error.values() != null) {
            error.values().forEach(detail -> values.put(detail.key(), detail.value()));
        }
        return Collections.unmodifiableMap(values);
    }

    private static String message(String operation, ErrorResponse response, StopReason stopReason,
            List<AttemptRecord> attempts) {
        BatchError error = response.error();
        String first = error.message() == null || error.message().value() == null ? ""
                : error.message().value().lines().findFirst().orElse("");
        StringBuilder s = new StringBuilder(operation).append(" failed: ").append(response.statusCode());
        if (error.code() != null) {
            s.append(' ').append(error.code());
        }
        if (!first.isEmpty()) {
            s.append(": ").append(first);
        }
        return s.append(" (stopped: ").append(stopReason).append(" after ").append(attemptsLine(attempts))
                .append(')').toString();
    }
}
