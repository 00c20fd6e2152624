package dev.rebatch.retry.policy;

import dev.rebatch.retry.classify.Outcome;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What a policy may base its decision on.
 *
 * @param attempts      how many attempts have been made so far (1 after the first failure)
 * @param outcome       the classified outcome of the attempt that just failed
 * @param previousDelay the delay before that attempt ({@link Duration#ZERO} before the first)
 * @param random        the source of jitter (seeded in tests)
 */
public record RetryContext(int attempts, Outcome outcome, Duration previousDelay, RandomGenerator random) {

    /** The number of the retry being decided on: 1 for the first retry. */
    public int retryNumber() {
        return attempts;
    }
}
