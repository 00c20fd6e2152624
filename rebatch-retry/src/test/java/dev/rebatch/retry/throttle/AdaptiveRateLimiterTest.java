package dev.rebatch.retry.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rebatch.retry.time.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {

    /** Responses arrive every 50 ms: 10 per 0.5 s rate bucket, a measured rate of 20 per second. */
    private static final Duration SPACING = Duration.ofMillis(50);
    private static final double RATE = 20.0;

    private final VirtualTimeSource time = new VirtualTimeSource();
    private final AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(time);

    /** {@code count} successful responses, one every 50 ms. */
    private void successes(int count) {
        for (int i = 0; i < count; i++) {
            time.advance(SPACING);
            limiter.onResponse(false);
        }
    }

    private double seconds() {
        return time.nanoTime() / 1e9;
    }

    @Test
    void beforeAnyThrottleItNeverPaces() {
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.reserve()).isZero();
        }
        for (int i = 0; i < 200; i++) {
            time.advance(SPACING);
            limiter.onResponse(false);
            for (int j = 0; j < 20; j++) {
                assertThat(limiter.reserve()).isZero();
            }
        }
        assertThat(limiter.isPacing()).isFalse();
        assertThat(limiter.measuredRate()).isCloseTo(RATE, within(0.01));
    }

    @Test
    void afterAThrottleItPaces() {
        successes(100);
        limiter.onResponse(true);

        assertThat(limiter.isPacing()).isTrue();
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waits.add(limiter.reserve());
        }
        assertThat(waits).anySatisfy(wait -> assertThat(wait).isPositive());
        // Pacing stays on through later successes.
        successes(10);
        assertThat(limiter.isPacing()).isTrue();
    }

    @Test
    void aThrottleCutsTheRateToSeventyPercentOfTheMeasuredRate() {
        successes(100); // 5 s at 20 per second: ten full rate buckets
        time.advance(Duration.ofMillis(25)); // between two responses, away from a bucket boundary

        limiter.onResponse(true);

        assertThat(limiter.measuredRate()).isCloseTo(RATE, within(1e-3));
        assertThat(limiter.sendRate()).isCloseTo(0.7 * limiter.measuredRate(), within(1e-9));
        assertThat(limiter.sendRate()).isCloseTo(14.0, within(1e-3));
    }

    @Test
    void aThrottleWhilePacingCutsFromTheLowerOfTheMeasuredAndAllowedRates() {
        successes(100);
        limiter.onResponse(true);
        double afterFirst = limiter.sendRate();

        time.advance(Duration.ofMillis(10));
        limiter.onResponse(true);

        // The measured rate is still about 20, but the allowed rate was 14: the cut starts from 14.
        assertThat(afterFirst).isCloseTo(14.0, within(1e-3));
        assertThat(limiter.sendRate()).isCloseTo(0.7 * afterFirst, within(1e-9));
    }

    @Test
    void theRateNeverFallsBelowTheMinimumFillRate() {
        // A throttle before any rate was measured: 0.7 x 0 is raised to the 0.5 per second floor.
        limiter.onResponse(true);

        assertThat(limiter.measuredRate()).isZero();
        assertThat(limiter.sendRate()).isEqualTo(AdaptiveRateLimiter.MIN_FILL_RATE);
        for (int i = 0; i < 20; i++) {
            time.advance(Duration.ofMillis(1));
            limiter.onResponse(true);
            assertThat(limiter.sendRate()).isEqualTo(0.5);
        }
    }

    /**
     * After a throttle at rate {@code lastMax}, each success sets the rate to
     * {@code min(0.4 (t - W)^3 + lastMax, 2 x measured)} with {@code W = cbrt(0.3 lastMax / 0.4)}: starting from 0.7
     * lastMax, back to lastMax after W seconds, then above it until twice the measured rate caps it.
     */
    @Test
    void afterThrottlingStopsTheRateGrowsBackAlongTheCubicCurve() {
        successes(100);
        time.advance(SPACING);
        limiter.onResponse(true); // takes one success's place: the responses keep coming 10 per bucket
        double throttledAt = seconds();
        double lastMax = limiter.measuredRate();
        double window = Math.cbrt(lastMax * (1 - 0.7) / 0.4);
        double previous = limiter.sendRate();
        assertThat(previous).isCloseTo(0.7 * lastMax, within(1e-9));

        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // 15 s
            successes(1);
            double rate = limiter.sendRate();
            double sinceThrottle = seconds() - throttledAt;
            double cubic = 0.4 * Math.pow(sinceThrottle - window, 3) + lastMax;

            assertThat(rate).as("rate at %.2f s", sinceThrottle)
                    .isGreaterThanOrEqualTo(previous)
                    .isLessThanOrEqualTo(2 * limiter.measuredRate())
                    .isCloseTo(Math.min(cubic, 2 * limiter.measuredRate()), within(1e-6));
            previous = rate;
            rates.add(rate);
        }
        // It passes the old maximum after the window and ends capped at twice the measured rate (about 40).
        assertThat(rates.get(40)).isLessThan(lastMax); // 2.05 s, before the window of about 2.47 s
        assertThat(rates.get(60)).isGreaterThan(lastMax); // 3.05 s
        assertThat(rates.get(rates.size() - 1)).isCloseTo(2 * limiter.measuredRate(), within(1e-9));
        assertThat(rates.get(rates.size() - 1)).isCloseTo(2 * RATE, within(1e-3));
    }

    @Test
    void reserveWaitsGrowWhenCallersOutrunTheFillRate() {
        // Throttled at once: rate 0.5 per second, an empty bucket.
        limiter.onResponse(true);
        double rate = limiter.sendRate();
        assertThat(rate).isEqualTo(0.5);

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waits.add(limiter.reserve());
        }

        assertThat(waits).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        for (int i = 0; i < 10; i++) {
            assertThat(waits.get(i) / 1e9).isCloseTo((i + 1) / rate, within(1e-6));
        }
        assertThat(waits.get(9)).isEqualTo(Duration.ofSeconds(20).toNanos()); // (10 - 0) / 0.5

        // Once the queued callers' time has passed the bucket has refilled only to empty: the next caller waits 2 s.
        time.advance(Duration.ofSeconds(20));
        assertThat(limiter.reserve() / 1e9).isCloseTo(1 / rate, within(1e-6));
    }

    @Test
    void aFullBucketLetsABurstThroughAndThenQueuesCallersAtTheFillRate() {
        successes(100);
        limiter.onResponse(true);
        double rate = limiter.sendRate(); // about 14 per second
        double capacity = rate; // the bucket holds one second's worth, and it was full

        int callers = 24;
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            waits.add(limiter.reserve());
        }

        for (int i = 1; i <= callers; i++) {
            double expected = Math.max(0, (i - capacity) / rate);
            assertThat(waits.get(i - 1) / 1e9).as("caller %d", i).isCloseTo(expected, within(1e-6));
        }
        List<Long> queued = waits.subList(callers - 10, callers);
        assertThat(queued).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(waits.get(callers - 1) / 1e9).isCloseTo((callers - capacity) / rate, within(1e-6));
        assertThat(waits.get(callers - 1) / 1e9).isCloseTo(10.0 / 14.0, within(1e-3));
    }
}
