package dev.rebatch.retry;

import dev.rebatch.retry.policy.RetryPolicy;
import java.time.Duration;

/**
 * Per-call overrides of the handler's defaults. A {@code null} component means "use the handler's". Build one
 * per kind of call and reuse it: options are immutable.
 *
 * @param policy         the retry policy for this call
 * @param deadline       the overall time for this call, all attempts and waits included
 * @param attemptTimeout the time each attempt may take
 * @param operationId    the operation id (client-request-id) to use instead of a random GUID
 */
public record CallOptions(RetryPolicy policy, Duration deadline, Duration attemptTimeout, String operationId) {

    /** No overrides. */
    public static final CallOptions DEFAULTS = new CallOptions(null, null, null, null);

    public CallOptions {
        requirePositive(deadline, "deadline");
        requirePositive(attemptTimeout, "attemptTimeout");
        if (operationId != null && operationId.isBlank()) {
            throw new IllegalArgumentException("operationId must not be blank");
        }
    }

    public CallOptions withPolicy(RetryPolicy newPolicy) {
        return new CallOptions(newPolicy, deadline, attemptTimeout, operationId);
    }

    public CallOptions withDeadline(Duration newDeadline) {
        return new CallOptions(policy, newDeadline, attemptTimeout, operationId);
    }

    public CallOptions withAttemptTimeout(Duration newAttemptTimeout) {
        return new CallOptions(policy, deadline, newAttemptTimeout, operationId);
    }

    public CallOptions withOperationId(String newOperationId) {
        return new CallOptions(policy, deadline, attemptTimeout, newOperationId);
    }

    private static void requirePositive(Duration value, String name) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
