package dev.rebatch.retry;

import dev.rebatch.retry.classify.Outcome;
import java.time.Duration;

/**
 * One attempt of one operation, as the handler saw it and what it decided next.
 *
 * @param operationId     the operation's id (its {@code client-request-id})
 * @param attempt         the attempt's number, from 1
 * @param outcome         the classified outcome (category, status, Batch error code, server hint, failure)
 * @param delay           the wait before the next attempt, or {@code null} when the handler stopped
 * @param delayReason     why the wait is that long, or {@code null} when the handler stopped
 * @param stopReason      why the handler stopped, or {@code null} when it will retry
 * @param paced           how long the attempt waited for the adaptive send rate before it was sent
 * @param budgetAvailable retry-budget tokens left after this decision
 */
public record AttemptEvent(
        String operationId,
        int attempt,
        Outcome outcome,
        Duration delay,
        DelayReason delayReason,
        StopReason stopReason,
        Duration paced,
        int budgetAvailable) {

    /** True when the handler will make another attempt. */
    public boolean willRetry() {
        return stopReason == null;
    }

    /** One line for logs. */
    public String describe() {
        String next = willRetry()
                ? "retrying in " + delay.toMillis() + " ms (" + delayReason + ")"
                : "stopped: " + stopReason;
        return "operation " + operationId + " attempt " + attempt + ": " + outcome.describe() + "; " + next;
    }
}
