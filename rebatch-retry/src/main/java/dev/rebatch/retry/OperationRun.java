package dev.rebatch.retry;

import dev.rebatch.retry.policy.RetryPolicy;
import dev.rebatch.retry.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The state of one logical operation across its attempts. Kept small and lazy: a call that succeeds at once
 * reads no clock (unless it has a deadline), generates no id (unless the operation asks for it) and keeps no
 * history, so the success path allocates nothing that escapes.
 */
final class OperationRun implements Attempt {

    private static final long NONE = 0;

    final RetryPolicy policy;
    private final long attemptTimeoutNanos;
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private String operationId;
    private int number = 1;
    private long currentTimeoutNanos;
    private List<AttemptEvent> history;

    /** Retry-budget tokens the latest retry took (0 before any retry); a success refunds them. */
    int lastRetryCost;
    /** The wait before the current attempt. */
    Duration previousDelay = Duration.ZERO;
    /** How long the current attempt waited for the adaptive send rate. */
    long pacedNanos;

    OperationRun(RetryPolicy policy, Duration attemptTimeout, Duration deadline, String operationId, TimeSource time) {
        this.policy = policy;
        this.attemptTimeoutNanos = attemptTimeout == null ? NONE : attemptTimeout.toNanos();
        this.operationId = operationId;
        this.hasDeadline = deadline != null;
        this.deadlineNanos = hasDeadline ? time.nanoTime() + deadline.toNanos() : 0;
        this.currentTimeoutNanos = hasDeadline ? minPositive(attemptTimeoutNanos, deadline.toNanos())
                : attemptTimeoutNanos;
    }

    @Override
    public String operationId() {
        if (operationId == null) {
            operationId = UUID.randomUUID().toString();
        }
        return operationId;
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public Optional<Duration> timeout() {
        return currentTimeoutNanos == NONE ? Optional.empty() : Optional.of(Duration.ofNanos(currentTimeoutNanos));
    }

    /** This attempt's timeout (clipped to the deadline); 0 when there is none. */
    long currentTimeoutNanos() {
        return currentTimeoutNanos;
    }

    /** The configured attempt timeout, before clipping to the deadline; 0 when there is none. */
    long attemptTimeoutNanos() {
        return attemptTimeoutNanos;
    }

    boolean hasDeadline() {
        return hasDeadline;
    }

    /** Time left before the deadline (negative once past); only meaningful when {@link #hasDeadline()}. */
    long remainingNanos(TimeSource time) {
        return deadlineNanos - time.nanoTime();
    }

    /** Moves to the next attempt; false when the deadline has passed, so that no attempt starts after it. */
    boolean startNextAttempt(TimeSource time) {
        if (hasDeadline) {
            long remaining = remainingNanos(time);
            if (remaining <= 0) {
                return false;
            }
            currentTimeoutNanos = minPositive(attemptTimeoutNanos, remaining);
        }
        number++;
        return true;
    }

    void record(AttemptEvent event) {
        if (history == null) {
            history = new ArrayList<>(4);
        }
        history.add(event);
    }

    List<AttemptEvent> history() {
        return history == null ? List.of() : history;
    }

    private static long minPositive(long timeout, long remaining) {
        return timeout == NONE ? remaining : Math.min(timeout, remaining);
    }
}
