package dev.rebatch.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.http.AccountThrottle.Rate;
import dev.rebatch.server.http.AccountThrottle.TrafficClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AccountThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    /** Virtual time in nanoseconds; starts far from zero, as System.nanoTime may. */
    private final AtomicLong now = new AtomicLong(-7 * SECOND);

    /** 10 per second (one per 100 ms), bursts of 5, for clients; 2 per second, bursts of 3, for node agents. */
    private final AccountThrottle throttle = new AccountThrottle(new Rate(10, 5), new Rate(2, 3), now::get);

    private int grantsNow(String account, TrafficClass trafficClass, int attempts) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            if (throttle.tryAcquire(account, trafficClass).isZero()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void anIdleAccountGetsItsBurstThenIsRefused() {
        assertThat(grantsNow("alpha", TrafficClass.CLIENT, 5)).isEqualTo(5);
        assertThat(throttle.tryAcquire("alpha", TrafficClass.CLIENT)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void refusalIs429TooManyRequestsWithRetryAfter() {
        grantsNow("alpha", TrafficClass.CLIENT, 5);
        assertThatThrownBy(() -> throttle.acquire("alpha"))
                .isInstanceOfSatisfying(BatchException.class, refused -> {
                    assertThat(refused.code()).isEqualTo(BatchErrorCode.TooManyRequests);
                    assertThat(refused.code().httpStatus()).isEqualTo(429);
                    // 100 ms until a permit: rounded up to a whole second.
                    assertThat(refused.headers()).containsEntry("Retry-After", "1");
                });
    }

    @Test
    void retryAfterCountsTheSecondsUntilAPermitRoundedUp() {
        AccountThrottle slow = new AccountThrottle(new Rate(0.25, 1), AccountThrottle.DEFAULT_NODE_AGENT_RATE, now::get);
        slow.acquire("alpha");
        assertThat(slow.tryAcquire("alpha", TrafficClass.CLIENT)).isEqualTo(Duration.ofSeconds(4));
        assertThatThrownBy(() -> slow.acquire("alpha")).isInstanceOfSatisfying(BatchException.class,
                refused -> assertThat(refused.headers()).containsEntry("Retry-After", "4"));
        now.addAndGet(1_500_000_000L);
        assertThatThrownBy(() -> slow.acquire("alpha")).isInstanceOfSatisfying(BatchException.class,
                refused -> assertThat(refused.headers()).containsEntry("Retry-After", "3"));
        now.addAndGet(2_500_000_000L);
        slow.acquire("alpha"); // exactly when Retry-After said: granted
        assertThat(slow.tryAcquire("alpha", TrafficClass.CLIENT)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void retryAfterSecondsIsACeilingOfAtLeastOne() {
        assertThat(AccountThrottle.retryAfterSeconds(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(AccountThrottle.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(AccountThrottle.retryAfterSeconds(Duration.ofSeconds(2))).isEqualTo(2);
        assertThat(AccountThrottle.retryAfterSeconds(Duration.ofSeconds(2).plusNanos(1))).isEqualTo(3);
    }

    @Test
    void theBucketRefillsAtTheRateUpToTheBurst() {
        grantsNow("alpha", TrafficClass.CLIENT, 5);
        now.addAndGet(99_999_999L);
        assertThat(grantsNow("alpha", TrafficClass.CLIENT, 10)).isZero();
        now.addAndGet(1);
        assertThat(grantsNow("alpha", TrafficClass.CLIENT, 10)).isEqualTo(1);
        now.addAndGet(350_000_000L);
        assertThat(grantsNow("alpha", TrafficClass.CLIENT, 10)).isEqualTo(3);
        now.addAndGet(60 * SECOND); // a long idle time refills only up to the burst
        assertThat(grantsNow("alpha", TrafficClass.CLIENT, 100)).isEqualTo(5);
    }

    @Test
    void accountsHaveIndependentBuckets() {
        assertThat(grantsNow("alpha", TrafficClass.CLIENT, 100)).isEqualTo(5);
        assertThat(grantsNow("beta", TrafficClass.CLIENT, 100)).isEqualTo(5);
    }

    @Test
    void accountNamesAreCaseInsensitive() {
        assertThat(grantsNow("alpha", TrafficClass.CLIENT, 3)).isEqualTo(3);
        assertThat(grantsNow("ALPHA", TrafficClass.CLIENT, 100)).isEqualTo(2);
    }

    @Test
    void nodeAgentTrafficHasItsOwnAllowance() {
        assertThat(grantsNow("alpha", TrafficClass.CLIENT, 100)).isEqualTo(5);
        assertThat(grantsNow("alpha", TrafficClass.NODE_AGENT, 100)).isEqualTo(3);
        assertThat(throttle.tryAcquire("alpha", TrafficClass.NODE_AGENT)).isEqualTo(Duration.ofMillis(500));
        now.addAndGet(500_000_000L);
        // Half a second refills 5 client permits and one node-agent permit; neither class drew on the other.
        assertThat(grantsNow("alpha", TrafficClass.NODE_AGENT, 100)).isEqualTo(1);
        assertThat(grantsNow("alpha", TrafficClass.CLIENT, 100)).isEqualTo(5);
    }

    @Test
    void ratesThatDoNotDivideASecondNeverExceedTheRate() {
        AccountThrottle thirds = new AccountThrottle(new Rate(3, 1), AccountThrottle.DEFAULT_NODE_AGENT_RATE, now::get);
        int granted = 0;
        for (int step = 0; step < 3000; step++) { // ten seconds in steps of 1/300 s
            if (thirds.tryAcquire("alpha", TrafficClass.CLIENT).isZero()) {
                granted++;
            }
            now.addAndGet(SECOND / 300);
        }
        assertThat(granted).isBetween(30, 31); // 1 (burst) + 3/s * 10 s, never more
    }

    @Test
    void ratesAreValidated() {
        assertThatThrownBy(() -> new Rate(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(Double.POSITIVE_INFINITY, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(1, 1_000_001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Rate(0.001, 1_000_000).nanosPerPermit()).isEqualTo(1_000_000_000_000L);
    }

    /**
     * Over any schedule of requests: never more grants than the burst plus what the rate refilled, and a refusal's
     * wait is exact (a nanosecond earlier is still refused, at the wait a permit is there).
     */
    @Property
    void grantsStayWithinBurstPlusRefillAndWaitsAreExact(@ForAll @IntRange(min = 1, max = 20) int burst,
            @ForAll @IntRange(min = 1, max = 50) int perSecond,
            @ForAll @Size(max = 200) List<@LongRange(min = 0, max = 300_000_000) Long> gaps) {
        AtomicLong clock = new AtomicLong(123);
        AccountThrottle limited = new AccountThrottle(new Rate(perSecond, burst), new Rate(1, 1), clock::get);
        long interval = new Rate(perSecond, burst).nanosPerPermit();
        long start = clock.get();
        long granted = 0;
        for (long gap : gaps) {
            clock.addAndGet(gap);
            Duration wait = limited.tryAcquire("alpha", TrafficClass.CLIENT);
            if (wait.isZero()) {
                granted++;
            } else {
                long waitNanos = wait.toNanos();
                assertThat(waitNanos).isPositive().isLessThanOrEqualTo(interval);
                clock.addAndGet(waitNanos - 1);
                assertThat(limited.tryAcquire("alpha", TrafficClass.CLIENT)).isEqualTo(Duration.ofNanos(1));
                clock.addAndGet(1);
                assertThat(limited.tryAcquire("alpha", TrafficClass.CLIENT)).isEqualTo(Duration.ZERO);
                granted++;
            }
            assertThat(granted).isLessThanOrEqualTo(burst + (clock.get() - start) / interval);
        }
    }

    @Test
    void threadsHammeringOneFrozenAccountGetExactlyTheBurst() throws Exception {
        AccountThrottle frozen = new AccountThrottle(new Rate(10, 100), new Rate(1, 1), () -> 42L);
        List<Long> perThread = hammer(8, 2_000, () -> { }, frozen);
        assertThat(perThread.stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
    }

    @Test
    void threadsHammeringOneAccountNeverGetMoreThanBurstPlusRefill() throws Exception {
        AtomicLong clock = new AtomicLong();
        AccountThrottle limited = new AccountThrottle(new Rate(1000, 50), new Rate(1, 1), clock::get);
        // Every attempt moves virtual time on by 10 µs: 80,000 attempts span 0.8 s, refilling 800 permits.
        List<Long> perThread = hammer(8, 10_000, () -> clock.addAndGet(10_000), limited);
        long granted = perThread.stream().mapToLong(Long::longValue).sum();
        long refilled = clock.get() / 1_000_000;
        assertThat(granted).isLessThanOrEqualTo(50 + refilled);
        // And the limiter does not starve anyone by mistake: a refusal always means an empty bucket.
        assertThat(granted).isGreaterThan(refilled / 2);
    }

    private static List<Long> hammer(int threads, int attemptsEach, Runnable beforeEachAttempt, AccountThrottle target)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    long granted = 0;
                    for (int i = 0; i < attemptsEach; i++) {
                        beforeEachAttempt.run();
                        if (target.tryAcquire("alpha", TrafficClass.CLIENT).isZero()) {
                            granted++;
                        }
                    }
                    return granted;
                }));
            }
            start.countDown();
            List<Long> granted = new ArrayList<>();
            for (Future<Long> result : results) {
                granted.add(result.get());
            }
            return granted;
        }
    }
}
