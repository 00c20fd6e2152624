package dev.rebatch.retry.policy;

import dev.rebatch.retry.classify.Category;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Exponential backoff: before retry {@code n} wait {@code jitter(min(maxBackoff, deltaBackoff * 2^(n-1)))}.
 * The cap is applied before the jitter, so delays keep their spread once they reach the cap (resilience4j and
 * azure-core lose it there).
 *
 * @param deltaBackoff the delay ceiling before the first retry
 * @param maxRetries   retries after the first attempt
 * @param maxBackoff   the largest delay ceiling
 * @param jitter       how the ceiling is randomized
 * @param retryOn      the categories retried
 */
public record ExponentialRetry(
        Duration deltaBackoff, int maxRetries, Duration maxBackoff, Jitter jitter, Set<Category> retryOn)
        implements RetryPolicy {

    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    public ExponentialRetry {
        PolicyArguments.requirePositive(deltaBackoff, "deltaBackoff");
        PolicyArguments.requirePositive(maxBackoff, "maxBackoff");
        PolicyArguments.requireRetries(maxRetries);
        Objects.requireNonNull(jitter, "jitter");
        retryOn = RetryableCategories.copyOf(retryOn);
    }

    @Override
    public RetryDecision decide(RetryContext context) {
        RetryDecision stop = RetryableCategories.stopUnlessRetryable(context, retryOn, maxRetries);
        if (stop != null) {
            return stop;
        }
        long ceiling = ceilingNanos(context.retryNumber());
        return RetryDecision.retryAfter(Duration.ofNanos(jitter.applyNanos(ceiling, context.random())));
    }

    /** The delay before retry {@code retryNumber} before jitter: {@code min(maxBackoff, delta * 2^(n-1))}. */
    public long ceilingNanos(int retryNumber) {
        long delta = deltaBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        int doublings = retryNumber - 1;
        if (doublings >= 63 || delta > (cap >> doublings)) {
            return cap;
        }
        return Math.min(cap, delta << doublings);
    }

    public ExponentialRetry withMaxBackoff(Duration newMaxBackoff) {
        return new ExponentialRetry(deltaBackoff, maxRetries, newMaxBackoff, jitter, retryOn);
    }

    public ExponentialRetry withJitter(Jitter newJitter) {
        return new ExponentialRetry(deltaBackoff, maxRetries, maxBackoff, newJitter, retryOn);
    }

    public ExponentialRetry retryingOn(Set<Category> categories) {
        return new ExponentialRetry(deltaBackoff, maxRetries, maxBackoff, jitter, categories);
    }
}
