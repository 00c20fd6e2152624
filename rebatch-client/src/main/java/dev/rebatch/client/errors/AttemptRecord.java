package dev.rebatch.client.errors;

import dev.rebatch.retry.AttemptEvent;
import dev.rebatch.retry.DelayReason;
import dev.rebatch.retry.classify.Category;
import java.time.Duration;

/**
 * One attempt of a failed operation, as an exception reports it.
 *
 * @param number      1 for the first attempt
 * @param category    what its outcome meant for retrying
 * @param statusCode  the HTTP status, or 0 when no answer arrived
 * @param errorCode   the Batch error code, or {@code null}
 * @param delay       the wait before the next attempt, or {@code null} after the last one
 * @param delayReason why the wait was that long (backoff or the service's Retry-After), or {@code null}
 */
public record AttemptRecord(int number, Category category, int statusCode, String errorCode, Duration delay,
        DelayReason delayReason) {

    static AttemptRecord of(AttemptEvent event) {
        return new AttemptRecord(event.attempt(), event.outcome().category(), event.outcome().statusCode(),
                event.outcome().errorCode(), event.delay(), event.delayReason());
    }

    /** "1: SERVER 500 InternalError, waited 812 ms (BACKOFF)". */
    public String describe() {
        StringBuilder s = new StringBuilder().append(number).append(": ").append(category);
        if (statusCode > 0) {
            s.append(' ').append(statusCode);
        }
        if (errorCode != null) {
            s.append(' ').append(errorCode);
        }
        if (delay != null) {
            s.append(", waited ").append(delay.toMillis()).append(" ms (").append(delayReason).append(')');
        }
        return s.toString();
    }
}
