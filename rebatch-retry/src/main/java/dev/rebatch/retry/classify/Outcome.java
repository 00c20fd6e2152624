package dev.rebatch.retry.classify;

import java.time.Duration;
import java.util.Objects;

/**
 * The classified outcome of one attempt.
 *
 * @param category   what the outcome means for retrying
 * @param statusCode the HTTP status, or 0 when no response arrived
 * @param errorCode  the Batch error code, or {@code null}
 * @param serverHint how long the service asked the client to wait (Retry-After and friends), or {@code null}
 * @param timedOut   true when the attempt ended in a timeout; such a retry costs more of the retry budget
 * @param failure    the exception the attempt ended with, or {@code null} for a success
 */
public record Outcome(
        Category category, int statusCode, String errorCode, Duration serverHint, boolean timedOut, Throwable failure) {

    /** The outcome of every successful attempt; shared so that a success allocates nothing. */
    public static final Outcome SUCCESS = new Outcome(Category.SUCCESS, 0, null, null, false, null);

    public Outcome {
        Objects.requireNonNull(category, "category");
        if (serverHint != null && serverHint.isNegative()) {
            throw new IllegalArgumentException("serverHint must not be negative: " + serverHint);
        }
    }

    /** A short human description: category, status and code, for logs and exception messages. */
    public String describe() {
        StringBuilder text = new StringBuilder(category.name());
        if (statusCode > 0) {
            text.append(' ').append(statusCode);
        }
        if (errorCode != null) {
            text.append(' ').append(errorCode);
        }
        if (statusCode == 0 && failure != null) {
            text.append(" (").append(failure.getClass().getSimpleName());
            if (failure.getMessage() != null) {
                text.append(": ").append(failure.getMessage());
            }
            text.append(')');
        }
        if (serverHint != null) {
            text.append(", server asked to wait ").append(serverHint.toMillis()).append(" ms");
        }
        return text.toString();
    }
}
