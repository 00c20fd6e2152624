package dev.rebatch.retry.policy;

import static dev.rebatch.retry.policy.ExponentialRetryProperties.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LinearRetryProperties {

    @Provide
    Arbitrary<Category> retried() {
        return Arbitraries.of(ExponentialRetryProperties.RETRIED);
    }

    @Provide
    Arbitrary<Category> notRetried() {
        return Arbitraries.of(ExponentialRetryProperties.NOT_RETRIED);
    }

    @Property
    void everyRetryWaitsBetweenHalfTheDeltaAndTheDelta(
            @ForAll @LongRange(min = 1_000_000L, max = 10_000_000_000L) long deltaNanos,
            @ForAll @IntRange(min = 1, max = 20) int maxRetries,
            @ForAll @IntRange(min = 1, max = 20) int retryNumber,
            @ForAll("retried") Category category,
            @ForAll long seed) {
        int n = Math.min(retryNumber, maxRetries);
        LinearRetry policy = RetryPolicyProvider.linearRetry(Duration.ofNanos(deltaNanos), maxRetries);

        RetryDecision decision = policy.decide(context(n, category, new SplittableRandom(seed)));

        assertThat(decision.retry()).isTrue();
        assertThat(decision.delay().toNanos()).isBetween(deltaNanos / 2, deltaNanos);
    }

    @Property
    void theRetryAfterTheLastStopsWithRetriesExhausted(
            @ForAll @IntRange(min = 0, max = 20) int maxRetries,
            @ForAll("retried") Category category,
            @ForAll long seed) {
        LinearRetry policy = RetryPolicyProvider.linearRetry(Duration.ofMillis(500), maxRetries);

        RetryDecision decision = policy.decide(context(maxRetries + 1, category, new SplittableRandom(seed)));

        assertThat(decision.retry()).isFalse();
        assertThat(decision.stopReason()).isEqualTo(StopReason.RETRIES_EXHAUSTED);
    }

    @Property
    void conflictsClientErrorsAndSuccessesAreNeverRetried(
            @ForAll @IntRange(min = 0, max = 20) int maxRetries,
            @ForAll @IntRange(min = 1, max = 30) int retryNumber,
            @ForAll("notRetried") Category category,
            @ForAll long seed) {
        LinearRetry policy = RetryPolicyProvider.linearRetry(Duration.ofMillis(500), maxRetries);

        RetryDecision decision = policy.decide(context(retryNumber, category, new SplittableRandom(seed)));

        assertThat(decision.retry()).isFalse();
        assertThat(decision.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
    }

    @Test
    void theProviderUsesEqualJitterAndTheTransientCategories() {
        LinearRetry policy = RetryPolicyProvider.linearRetry(Duration.ofSeconds(2), 4);

        assertThat(policy.delta()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.maxRetries()).isEqualTo(4);
        assertThat(policy.jitter()).isEqualTo(Jitter.EQUAL);
        assertThat(policy.retryOn()).containsExactlyInAnyOrderElementsOf(ExponentialRetryProperties.RETRIED);
    }

    @Test
    void theDelayIsTheSameForEveryRetryAndStillSpread() {
        LinearRetry policy = RetryPolicyProvider.linearRetry(Duration.ofSeconds(2), 100);
        SplittableRandom random = new SplittableRandom(11);
        Set<Duration> delays = new HashSet<>();
        for (int n = 1; n <= 100; n++) {
            Duration delay = policy.decide(context(n, Category.SERVER, random)).delay();
            assertThat(delay).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            delays.add(delay);
        }
        assertThat(delays).hasSizeGreaterThan(90);

        LinearRetry fixed = policy.withJitter(Jitter.NONE);
        for (int n = 1; n <= 100; n++) {
            assertThat(fixed.decide(context(n, Category.THROTTLED, random)).delay()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void retryingOnReplacesTheRetriedCategories() {
        LinearRetry policy = RetryPolicyProvider.linearRetry(Duration.ofSeconds(1), 3)
                .retryingOn(Set.of(Category.NETWORK_NOT_SENT));
        SplittableRandom random = new SplittableRandom(2);

        assertThat(policy.decide(context(1, Category.NETWORK_NOT_SENT, random)).retry()).isTrue();
        assertThat(policy.decide(context(1, Category.NETWORK_UNKNOWN, random)).stopReason())
                .isEqualTo(StopReason.NOT_RETRYABLE);
        assertThat(policy.jitter()).isEqualTo(Jitter.EQUAL);
        assertThat(policy.maxRetries()).isEqualTo(3);
    }
}
