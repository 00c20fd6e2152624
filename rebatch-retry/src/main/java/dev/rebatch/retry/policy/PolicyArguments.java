package dev.rebatch.retry.policy;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the built-in policies, with messages that say what to pass instead. */
final class PolicyArguments {

    private PolicyArguments() {}

    static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    static void requireRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries
                    + " (use RetryPolicyProvider.noRetry() for no retries)");
        }
    }
}
