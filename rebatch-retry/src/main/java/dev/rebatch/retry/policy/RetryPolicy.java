package dev.rebatch.retry.policy;

/**
 * Decides, after a failed attempt, whether to try again and after what backoff. Implement it for a custom
 * policy. The handler then applies the rules every policy shares: it never retries sooner than the service's
 * Retry-After hint, it respects the deadline, and it charges the retry budget.
 *
 * <p>Implementations must be thread-safe: one policy serves every operation of a client.
 */
@FunctionalInterface
public interface RetryPolicy {

    RetryDecision decide(RetryContext context);
}
