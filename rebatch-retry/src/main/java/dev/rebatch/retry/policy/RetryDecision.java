package dev.rebatch.retry.policy;

import dev.rebatch.retry.StopReason;
import java.time.Duration;
import java.util.Objects;

/**
 * A policy's answer: retry after {@code delay}, or stop for {@code stopReason}.
 *
 * @param retry      true to try again
 * @param delay      the backoff before the next attempt (zero when stopping)
 * @param stopReason why to stop ({@code null} when retrying)
 */
public record RetryDecision(boolean retry, Duration delay, StopReason stopReason) {

    public RetryDecision {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        if (retry == (stopReason != null)) {
            throw new IllegalArgumentException("a decision either retries or names a stop reason");
        }
    }

    public static RetryDecision retryAfter(Duration delay) {
        return new RetryDecision(true, delay, null);
    }

    public static RetryDecision stop(StopReason reason) {
        return new RetryDecision(false, Duration.ZERO, Objects.requireNonNull(reason, "reason"));
    }
}
