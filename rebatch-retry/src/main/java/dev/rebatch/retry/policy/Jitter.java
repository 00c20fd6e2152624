package dev.rebatch.retry.policy;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a computed delay is randomized so that clients that failed together do not retry together.
 * See docs/retry.md for the evidence behind the default ({@link #FULL} for exponential backoff).
 */
public enum Jitter {
    /** The delay as computed. Reproduces the .NET Batch SDK; clients retry in lockstep. */
    NONE {
        @Override
        long applyNanos(long ceilingNanos, RandomGenerator random) {
            return ceilingNanos;
        }
    },
    /** Uniform in [0, delay]: the least total work in the AWS simulation, and nearly the fastest. */
    FULL {
        @Override
        long applyNanos(long ceilingNanos, RandomGenerator random) {
            return ceilingNanos == 0 ? 0 : random.nextLong(ceilingNanos + 1);
        }
    },
    /** Uniform in [delay/2, delay]: never much shorter than the delay, at the cost of longer waits. */
    EQUAL {
        @Override
        long applyNanos(long ceilingNanos, RandomGenerator random) {
            long half = ceilingNanos / 2;
            return half + (ceilingNanos - half == 0 ? 0 : random.nextLong(ceilingNanos - half + 1));
        }
    };

    /** The jittered delay for a computed (already capped) delay. */
    public Duration apply(Duration ceiling, RandomGenerator random) {
        return Duration.ofNanos(applyNanos(ceiling.toNanos(), random));
    }

    abstract long applyNanos(long ceilingNanos, RandomGenerator random);
}
