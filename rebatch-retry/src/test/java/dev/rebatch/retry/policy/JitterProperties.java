package dev.rebatch.retry.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Every jitter stays within its documented range, for any ceiling up to ~17 minutes and any seed. */
class JitterProperties {

    private static final long MAX_CEILING = 1_000_000_000_000L;

    @Property
    void fullJitterIsBetweenZeroAndTheCeiling(
            @ForAll @LongRange(min = 0, max = MAX_CEILING) long ceiling, @ForAll long seed) {
        long delay = Jitter.FULL.applyNanos(ceiling, new SplittableRandom(seed));

        assertThat(delay).isBetween(0L, ceiling);
    }

    @Property
    void equalJitterIsBetweenHalfTheCeilingAndTheCeiling(
            @ForAll @LongRange(min = 0, max = MAX_CEILING) long ceiling, @ForAll long seed) {
        long delay = Jitter.EQUAL.applyNanos(ceiling, new SplittableRandom(seed));

        assertThat(delay).isBetween(ceiling / 2, ceiling);
    }

    @Property
    void noJitterIsTheCeiling(@ForAll @LongRange(min = 0, max = MAX_CEILING) long ceiling, @ForAll long seed) {
        assertThat(Jitter.NONE.applyNanos(ceiling, new SplittableRandom(seed))).isEqualTo(ceiling);
    }

    @Property
    void theDurationFormAgreesWithTheNanosecondForm(
            @ForAll @LongRange(min = 0, max = MAX_CEILING) long ceiling, @ForAll long seed) {
        for (Jitter jitter : Jitter.values()) {
            Duration viaDuration = jitter.apply(Duration.ofNanos(ceiling), new SplittableRandom(seed));
            long viaNanos = jitter.applyNanos(ceiling, new SplittableRandom(seed));

            assertThat(viaDuration).as(jitter.name()).isEqualTo(Duration.ofNanos(viaNanos));
        }
    }

    @Test
    void aZeroCeilingIsAlwaysZero() {
        SplittableRandom random = new SplittableRandom(1);
        for (Jitter jitter : Jitter.values()) {
            assertThat(jitter.applyNanos(0, random)).as(jitter.name()).isZero();
        }
    }

    @Test
    void tinyCeilingsReachBothEndsOfTheirRange() {
        // With a ceiling of 1 ns, FULL must produce both 0 and 1 and EQUAL (half = 0) as well: the bound is inclusive.
        SplittableRandom random = new SplittableRandom(42);
        Set<Long> full = new HashSet<>();
        Set<Long> equal = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            full.add(Jitter.FULL.applyNanos(1, random));
            equal.add(Jitter.EQUAL.applyNanos(1, random));
        }
        assertThat(full).containsExactlyInAnyOrder(0L, 1L);
        assertThat(equal).containsExactlyInAnyOrder(0L, 1L);

        Set<Long> equalOfThree = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            equalOfThree.add(Jitter.EQUAL.applyNanos(3, random));
        }
        assertThat(equalOfThree).containsExactlyInAnyOrder(1L, 2L, 3L);
    }

    @Test
    void fullAndEqualJitterSpreadTheirDelays() {
        // Fixed seed, 1000 samples of a 10 s ceiling: the spread is far from the bounds of chance.
        SplittableRandom random = new SplittableRandom(7);
        long ceiling = Duration.ofSeconds(10).toNanos();
        long fullBelowHalf = 0;
        long equalBelowThreeQuarters = 0;
        for (int i = 0; i < 1000; i++) {
            if (Jitter.FULL.applyNanos(ceiling, random) < ceiling / 2) {
                fullBelowHalf++;
            }
            if (Jitter.EQUAL.applyNanos(ceiling, random) < ceiling * 3 / 4) {
                equalBelowThreeQuarters++;
            }
        }
        // Expected about 500 each.
        assertThat(fullBelowHalf).isBetween(350L, 650L);
        assertThat(equalBelowThreeQuarters).isBetween(350L, 650L);
    }
}
