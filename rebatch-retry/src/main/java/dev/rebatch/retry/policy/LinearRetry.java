package dev.rebatch.retry.policy;

import dev.rebatch.retry.classify.Category;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The same delay before every retry, jittered. The default jitter is {@link Jitter#EQUAL} (uniform in
 * [delta/2, delta]): it spreads clients apart without the near-zero waits of full jitter, which would defeat
 * the point of choosing a fixed delay.
 *
 * @param delta      the delay before each retry (before jitter)
 * @param maxRetries retries after the first attempt
 * @param jitter     how the delay is randomized
 * @param retryOn    the categories retried
 */
public record LinearRetry(Duration delta, int maxRetries, Jitter jitter, Set<Category> retryOn) implements RetryPolicy {

    public LinearRetry {
        PolicyArguments.requirePositive(delta, "delta");
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
        return RetryDecision.retryAfter(Duration.ofNanos(jitter.applyNanos(delta.toNanos(), context.random())));
    }

    public LinearRetry withJitter(Jitter newJitter) {
        return new LinearRetry(delta, maxRetries, newJitter, retryOn);
    }

    public LinearRetry retryingOn(Set<Category> categories) {
        return new LinearRetry(delta, maxRetries, jitter, categories);
    }
}
