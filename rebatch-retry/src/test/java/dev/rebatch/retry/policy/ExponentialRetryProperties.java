package dev.rebatch.retry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import dev.rebatch.retry.classify.Outcome;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExponentialRetryProperties {

    static final Set<Category> RETRIED = EnumSet.of(
            Category.NETWORK_NOT_SENT, Category.NETWORK_UNKNOWN, Category.SERVER, Category.THROTTLED);
    static final Set<Category> NOT_RETRIED = EnumSet.of(Category.CONFLICT, Category.CLIENT, Category.SUCCESS);

    /** A policy's parameters and one retry number within its retries. */
    record Case(long deltaNanos, int maxRetries, long maxBackoffNanos, int retryNumber, long seed) {
        ExponentialRetry policy(Jitter jitter) {
            return new ExponentialRetry(Duration.ofNanos(deltaNanos), maxRetries, Duration.ofNanos(maxBackoffNanos),
                    jitter, RetryableCategories.TRANSIENT);
        }

        long expectedCeiling() {
            return expectedCeilingNanos(deltaNanos, maxBackoffNanos, retryNumber);
        }
    }

    /** delta 1 ms..10 s, maxRetries 0..20, maxBackoff delta..120 s, retry number 1..maxRetries (when any). */
    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.longs().between(1_000_000L, 10_000_000_000L).flatMap(delta ->
                Arbitraries.integers().between(1, 20).flatMap(maxRetries -> Combinators.combine(
                        Arbitraries.longs().between(delta, 120_000_000_000L),
                        Arbitraries.integers().between(1, maxRetries),
                        Arbitraries.longs())
                        .as((maxBackoff, n, seed) -> new Case(delta, maxRetries, maxBackoff, n, seed))));
    }

    static long expectedCeilingNanos(long delta, long cap, int retryNumber) {
        BigInteger exponential = BigInteger.valueOf(delta).shiftLeft(retryNumber - 1);
        return exponential.min(BigInteger.valueOf(cap)).longValueExact();
    }

    static RetryContext context(int retryNumber, Category category, RandomGenerator random) {
        Outcome outcome = category == Category.SUCCESS ? Outcome.SUCCESS
                : new Outcome(category, 0, null, null, false, null);
        return new RetryContext(retryNumber, outcome, Duration.ZERO, random);
    }

    @Property
    void fullJitterDelayIsWithinZeroAndTheCappedExponential(
            @ForAll("cases") Case c, @ForAll("retried") Category category) {
        RetryDecision decision = c.policy(Jitter.FULL).decide(
                context(c.retryNumber(), category, new SplittableRandom(c.seed())));

        assertThat(decision.retry()).isTrue();
        assertThat(decision.stopReason()).isNull();
        assertThat(decision.delay().toNanos()).isBetween(0L, c.expectedCeiling());
    }

    @Property
    void equalJitterDelayIsWithinHalfAndTheCappedExponential(@ForAll("cases") Case c) {
        RetryDecision decision = c.policy(Jitter.EQUAL).decide(
                context(c.retryNumber(), Category.SERVER, new SplittableRandom(c.seed())));

        assertThat(decision.delay().toNanos()).isBetween(c.expectedCeiling() / 2, c.expectedCeiling());
    }

    @Property
    void noJitterDelayIsExactlyTheCappedExponential(@ForAll("cases") Case c) {
        RetryDecision decision = c.policy(Jitter.NONE).decide(
                context(c.retryNumber(), Category.THROTTLED, new SplittableRandom(c.seed())));

        assertThat(decision.delay().toNanos()).isEqualTo(c.expectedCeiling());
    }

    @Property
    void theRetryAfterTheLastStopsWithRetriesExhausted(
            @ForAll("cases") Case c, @ForAll("retried") Category category) {
        RetryDecision decision = c.policy(Jitter.FULL).decide(
                context(c.maxRetries() + 1, category, new SplittableRandom(c.seed())));

        assertThat(decision.retry()).isFalse();
        assertThat(decision.stopReason()).isEqualTo(StopReason.RETRIES_EXHAUSTED);
        assertThat(decision.delay()).isZero();
    }

    @Property
    void zeroRetriesStopsAtOnce(@ForAll("retried") Category category, @ForAll long seed) {
        ExponentialRetry policy = RetryPolicyProvider.exponentialRetry(Duration.ofSeconds(1), 0);

        assertThat(policy.decide(context(1, category, new SplittableRandom(seed))).stopReason())
                .isEqualTo(StopReason.RETRIES_EXHAUSTED);
    }

    @Property
    void conflictsClientErrorsAndSuccessesAreNeverRetried(
            @ForAll("cases") Case c, @ForAll("notRetried") Category category,
            @ForAll @IntRange(min = 1, max = 30) int retryNumber) {
        // Whatever the retry number, even past maxRetries: the category decides first.
        RetryDecision decision = c.policy(Jitter.FULL).decide(
                context(retryNumber, category, new SplittableRandom(c.seed())));

        assertThat(decision.retry()).isFalse();
        assertThat(decision.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
        assertThat(decision.delay()).isZero();
    }

    @Provide
    Arbitrary<Category> retried() {
        return Arbitraries.of(RETRIED);
    }

    @Provide
    Arbitrary<Category> notRetried() {
        return Arbitraries.of(NOT_RETRIED);
    }

    /** Ceilings for retry numbers far beyond any real maxRetries: no overflow, exact, monotone, the cap once reached. */
    @Property
    void theCeilingNeverOverflowsAndStaysAtTheCap(
            @ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 10_000) int retryNumber) {
        ExponentialRetry policy = c.policy(Jitter.FULL);
        long ceiling = policy.ceilingNanos(retryNumber);

        assertThat(ceiling).isEqualTo(expectedCeilingNanos(c.deltaNanos(), c.maxBackoffNanos(), retryNumber));
        assertThat(ceiling).isBetween(c.deltaNanos(), c.maxBackoffNanos());
        assertThat(policy.ceilingNanos(retryNumber + 1)).isGreaterThanOrEqualTo(ceiling);
        if (ceiling == c.maxBackoffNanos()) {
            assertThat(policy.ceilingNanos(retryNumber + 1)).isEqualTo(c.maxBackoffNanos());
        }
    }

    @Test
    void everyCeilingUpToTenThousandRetriesIsExact() {
        // Including the extremes: the smallest delta with the largest cap doubles the most times before the cap.
        long[][] deltaAndCap = {
            {1_000_000L, 120_000_000_000L}, {10_000_000_000L, 10_000_000_000L}, {1_000_000L, 1_000_000L},
            {3_000_000_007L, 120_000_000_000L}, {1, 120_000_000_000L}, {Long.MAX_VALUE / 3, Long.MAX_VALUE}
        };
        for (long[] pair : deltaAndCap) {
            ExponentialRetry policy = new ExponentialRetry(Duration.ofNanos(pair[0]), 6, Duration.ofNanos(pair[1]),
                    Jitter.NONE, RetryableCategories.TRANSIENT);
            long previous = 0;
            for (int n = 1; n <= 10_000; n++) {
                long ceiling = policy.ceilingNanos(n);
                assertThat(ceiling).as("delta %d cap %d retry %d", pair[0], pair[1], n)
                        .isEqualTo(expectedCeilingNanos(pair[0], pair[1], n))
                        .isGreaterThanOrEqualTo(previous);
                previous = ceiling;
            }
            assertThat(previous).isEqualTo(pair[1]);
        }
    }

    @Test
    void decisionsFarPastTheCapStayWithinIt() {
        ExponentialRetry policy = new ExponentialRetry(Duration.ofMillis(1), Integer.MAX_VALUE,
                Duration.ofSeconds(120), Jitter.FULL, RetryableCategories.TRANSIENT);
        SplittableRandom random = new SplittableRandom(3);
        for (int n : new int[] {40, 62, 63, 64, 65, 100, 10_000, Integer.MAX_VALUE}) {
            RetryDecision decision = policy.decide(context(n, Category.SERVER, random));
            assertThat(decision.retry()).as("retry %d", n).isTrue();
            assertThat(decision.delay()).as("retry %d", n).isBetween(Duration.ZERO, Duration.ofSeconds(120));
        }
    }

    @Test
    void jitterStillSpreadsDelaysAtTheCap() {
        // Retry 20 of a 1 s policy is far past the 30 s cap (2^19 s): every sample has the cap as its ceiling.
        ExponentialRetry policy = RetryPolicyProvider.exponentialRetry(Duration.ofSeconds(1), 20);
        Duration cap = ExponentialRetry.DEFAULT_MAX_BACKOFF;
        assertThat(policy.ceilingNanos(20)).isEqualTo(cap.toNanos());

        for (Jitter jitter : List.of(Jitter.FULL, Jitter.EQUAL)) {
            ExponentialRetry jittered = policy.withJitter(jitter);
            List<Duration> delays = new ArrayList<>();
            for (long seed = 0; seed < 500; seed++) {
                delays.add(jittered.decide(context(20, Category.THROTTLED, new SplittableRandom(seed))).delay());
            }
            long belowNinetyPercent = delays.stream()
                    .filter(d -> d.toNanos() < cap.toNanos() * 9 / 10)
                    .count();

            assertThat(delays).as(jitter.name()).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, cap));
            assertThat(delays.stream().distinct().count()).as(jitter.name()).isGreaterThan(400);
            // Expected 450 (FULL) and 400 (EQUAL) of 500.
            assertThat(belowNinetyPercent).as(jitter.name()).isGreaterThan(250);
        }
    }

    @Test
    void theDefaultPolicyIsOneSecondSixRetriesThirtySecondCapFullJitter() {
        ExponentialRetry policy = RetryPolicyProvider.defaultPolicy();

        assertThat(policy.deltaBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.maxRetries()).isEqualTo(6);
        assertThat(policy.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.jitter()).isEqualTo(Jitter.FULL);
        assertThat(policy.retryOn()).containsExactlyInAnyOrderElementsOf(RETRIED);
        assertThat(RetryPolicyProvider.DEFAULT_DELTA_BACKOFF).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryPolicyProvider.DEFAULT_MAX_RETRIES).isEqualTo(6);
        assertThat(RetryPolicyProvider.defaultPolicy()).isSameAs(policy);
    }

    @Test
    void withoutJitterTheDefaultReproducesTheDotNetDelays() {
        ExponentialRetry policy = RetryPolicyProvider.defaultPolicy().withJitter(Jitter.NONE);
        SplittableRandom random = new SplittableRandom(0);
        List<Duration> delays = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            RetryDecision decision = policy.decide(context(n, Category.SERVER, random));
            assertThat(decision.retry()).isTrue();
            delays.add(decision.delay());
        }

        assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30));
        assertThat(policy.decide(context(7, Category.SERVER, random)).stopReason())
                .isEqualTo(StopReason.RETRIES_EXHAUSTED);
    }

    @ParameterizedTest
    @EnumSource(Category.class)
    void theDefaultRetriesExactlyTheTransientCategories(Category category) {
        RetryDecision decision = RetryPolicyProvider.defaultPolicy()
                .decide(context(1, category, new SplittableRandom(1)));

        if (RETRIED.contains(category)) {
            assertThat(decision.retry()).isTrue();
            assertThat(decision.delay()).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        } else {
            assertThat(decision.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
        }
    }

    @Test
    void retryingOnReplacesTheRetriedCategories() {
        ExponentialRetry policy = RetryPolicyProvider.defaultPolicy().retryingOn(Set.of(Category.CONFLICT));
        SplittableRandom random = new SplittableRandom(5);

        assertThat(policy.decide(context(1, Category.CONFLICT, random)).retry()).isTrue();
        assertThat(policy.decide(context(1, Category.SERVER, random)).stopReason())
                .isEqualTo(StopReason.NOT_RETRYABLE);
        // The other settings are kept.
        assertThat(policy.deltaBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.maxRetries()).isEqualTo(6);
        assertThat(policy.jitter()).isEqualTo(Jitter.FULL);
    }

    @Test
    void withMaxBackoffChangesOnlyTheCap() {
        ExponentialRetry policy = RetryPolicyProvider.defaultPolicy().withMaxBackoff(Duration.ofSeconds(5))
                .withJitter(Jitter.NONE);

        assertThat(policy.ceilingNanos(3)).isEqualTo(Duration.ofSeconds(4).toNanos());
        assertThat(policy.ceilingNanos(4)).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(policy.maxRetries()).isEqualTo(6);
        assertThat(policy.retryOn()).containsExactlyInAnyOrderElementsOf(RETRIED);
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        ExponentialRetry policy = RetryPolicyProvider.defaultPolicy();
        SplittableRandom a = new SplittableRandom(99);
        SplittableRandom b = new SplittableRandom(99);
        for (int n = 1; n <= 6; n++) {
            assertThat(policy.decide(context(n, Category.SERVER, a)))
                    .isEqualTo(policy.decide(context(n, Category.SERVER, b)));
        }
    }
}
