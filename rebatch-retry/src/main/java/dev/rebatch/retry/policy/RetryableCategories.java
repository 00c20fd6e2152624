package dev.rebatch.retry.policy;

import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import java.util.EnumSet;
import java.util.Set;

/** The categories the built-in policies retry unless told otherwise. */
final class RetryableCategories {

    /** Network failures, 5xx and throttling; never conflicts, client errors or successes. */
    static final Set<Category> TRANSIENT = Set.copyOf(EnumSet.of(
            Category.NETWORK_NOT_SENT, Category.NETWORK_UNKNOWN, Category.SERVER, Category.THROTTLED));

    private RetryableCategories() {}

    static Set<Category> copyOf(Set<Category> categories) {
        if (categories.contains(Category.SUCCESS)) {
            throw new IllegalArgumentException("SUCCESS is never retried");
        }
        return Set.copyOf(categories);
    }

    /** A stop decision when the outcome is not retried or retries are used up; {@code null} to go on. */
    static RetryDecision stopUnlessRetryable(RetryContext context, Set<Category> retryOn, int maxRetries) {
        if (!retryOn.contains(context.outcome().category())) {
            return RetryDecision.stop(StopReason.NOT_RETRYABLE);
        }
        if (context.retryNumber() > maxRetries) {
            return RetryDecision.stop(StopReason.RETRIES_EXHAUSTED);
        }
        return null;
    }
}
