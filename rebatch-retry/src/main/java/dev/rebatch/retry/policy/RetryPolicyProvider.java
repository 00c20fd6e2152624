package dev.rebatch.retry.policy;

import dev.rebatch.retry.StopReason;
import java.time.Duration;

/**
 * The built-in policies, named as in the .NET Batch SDK's {@code RetryPolicyProvider}. Defaults and the reason
 * for each are in docs/retry.md.
 */
public final class RetryPolicyProvider {

    public static final Duration DEFAULT_DELTA_BACKOFF = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_RETRIES = 6;

    private static final RetryPolicy NO_RETRY = context -> RetryDecision.stop(
            context.outcome().category().isTransient() ? StopReason.RETRIES_EXHAUSTED : StopReason.NOT_RETRYABLE);

    private static final ExponentialRetry DEFAULT =
            exponentialRetry(DEFAULT_DELTA_BACKOFF, DEFAULT_MAX_RETRIES);

    private RetryPolicyProvider() {}

    /** Exponential backoff with full jitter, capped at 30 s, retrying network failures, 5xx and throttling. */
    public static ExponentialRetry exponentialRetry(Duration deltaBackoff, int maxRetries) {
        return exponentialRetry(deltaBackoff, maxRetries, ExponentialRetry.DEFAULT_MAX_BACKOFF);
    }

    /** Exponential backoff with full jitter and the given cap. */
    public static ExponentialRetry exponentialRetry(Duration deltaBackoff, int maxRetries, Duration maxBackoff) {
        return new ExponentialRetry(deltaBackoff, maxRetries, maxBackoff, Jitter.FULL, RetryableCategories.TRANSIENT);
    }

    /** The same delay (jittered to [delta/2, delta]) before each retry. */
    public static LinearRetry linearRetry(Duration delta, int maxRetries) {
        return new LinearRetry(delta, maxRetries, Jitter.EQUAL, RetryableCategories.TRANSIENT);
    }

    /** One attempt only. */
    public static RetryPolicy noRetry() {
        return NO_RETRY;
    }

    /** Rebatch's default: {@code exponentialRetry(1 s, 6)}, 30 s cap, full jitter. */
    public static ExponentialRetry defaultPolicy() {
        return DEFAULT;
    }
}
