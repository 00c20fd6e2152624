package dev.rebatch.client;

import dev.rebatch.retry.CallOptions;
import dev.rebatch.retry.policy.RetryPolicy;
import java.time.Duration;

/**
 * Per-call overrides of the client's defaults. A {@code null} component means "use the client's". Immutable: build
 * one per kind of call and reuse it.
 *
 * @param retryPolicy     the retry policy for this call
 * @param deadline        the whole call's time, every attempt and wait included
 * @param attemptTimeout  how long each attempt may take
 * @param clientRequestId the client-request-id (a GUID) all the call's attempts send, instead of a random one;
 *                        choose it yourself to find the call in the service's logs
 */
public record RequestOptions(RetryPolicy retryPolicy, Duration deadline, Duration attemptTimeout,
        String clientRequestId) {

    /** No overrides. */
    public static final RequestOptions DEFAULTS = new RequestOptions(null, null, null, null);

    public RequestOptions {
        // CallOptions checks the durations and id; building one here reports a bad value where it was set.
        new CallOptions(retryPolicy, deadline, attemptTimeout, clientRequestId);
    }

    public RequestOptions withRetryPolicy(RetryPolicy policy) {
        return new RequestOptions(policy, deadline, attemptTimeout, clientRequestId);
    }

    public RequestOptions withDeadline(Duration newDeadline) {
        return new RequestOptions(retryPolicy, newDeadline, attemptTimeout, clientRequestId);
    }

    public RequestOptions withAttemptTimeout(Duration timeout) {
        return new RequestOptions(retryPolicy, deadline, timeout, clientRequestId);
    }

    public RequestOptions withClientRequestId(String id) {
        return new RequestOptions(retryPolicy, deadline, attemptTimeout, id);
    }

    CallOptions toCallOptions() {
        return new CallOptions(retryPolicy, deadline, attemptTimeout, clientRequestId);
    }
}
