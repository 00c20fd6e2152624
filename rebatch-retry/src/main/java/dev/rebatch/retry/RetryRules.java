package dev.rebatch.retry;

import dev.rebatch.retry.classify.Category;
import dev.rebatch.retry.classify.Outcome;
import dev.rebatch.retry.classify.OutcomeClassifier;
import dev.rebatch.retry.policy.RetryContext;
import dev.rebatch.retry.policy.RetryDecision;
import dev.rebatch.retry.throttle.AdaptiveRateLimiter;
import dev.rebatch.retry.throttle.RetryBudget;
import dev.rebatch.retry.time.TimeSource;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules every retry obeys whatever the policy, shared by the synchronous and asynchronous paths: classify
 * the failure, ask the policy, never go sooner than the server's hint, respect the deadline, charge the budget,
 * pace with the adaptive rate, and tell the listener.
 */
final class RetryRules {

    private static final Logger log = LoggerFactory.getLogger(RetryHandler.class);

    /** Smallest and largest upward jitter added to a server hint; between them it is a fifth of the hint. */
    static final Duration MIN_HINT_JITTER = Duration.ofMillis(100);
    static final Duration MAX_HINT_JITTER = Duration.ofSeconds(5);

    /** The result of deciding after a failure: wait {@code delay} and retry, or throw {@code failure}. */
    record Step(Duration delay, RetryFailedException failure) {
        boolean retry() {
            return failure == null;
        }
    }

    final TimeSource time;
    final OutcomeClassifier classifier;
    private final RetryBudget budget;
    private final AdaptiveRateLimiter rateLimiter;
    private final Supplier<RandomGenerator> random;
    private final RetryListener listener;
    private final Duration maxServerHint;
    private final long minAttemptNanos;

    RetryRules(TimeSource time, OutcomeClassifier classifier, RetryBudget budget, AdaptiveRateLimiter rateLimiter,
            Supplier<RandomGenerator> random, RetryListener listener, Duration maxServerHint, Duration minAttemptTime) {
        this.time = time;
        this.classifier = classifier;
        this.budget = budget;
        this.rateLimiter = rateLimiter;
        this.random = random;
        this.listener = listener;
        this.maxServerHint = maxServerHint;
        this.minAttemptNanos = minAttemptTime.toNanos();
    }

    /** Takes an adaptive send token; returns how long to wait before sending (0 without adaptive mode). */
    long pace(OperationRun run) {
        long wait = rateLimiter == null ? 0 : rateLimiter.reserve();
        run.pacedNanos = wait;
        return wait;
    }

    void afterSuccess(OperationRun run) {
        budget.onSuccess(run.lastRetryCost);
        if (rateLimiter != null) {
            rateLimiter.onResponse(false);
        }
        if (listener != RetryListener.NONE) {
            notifyListener(new AttemptEvent(run.operationId(), run.number(), Outcome.SUCCESS, null, null,
                    StopReason.SUCCEEDED, Duration.ofNanos(run.pacedNanos), budget.available()));
        }
    }

    /** The failure of an attempt: decides whether and when to retry, and records the attempt. */
    Step afterFailure(OperationRun run, Throwable failure) {
        Outcome outcome = classifier.classify(failure, time.now());
        if (rateLimiter != null && outcome.statusCode() > 0) {
            rateLimiter.onResponse(outcome.category() == Category.THROTTLED);
        }
        RetryDecision decision = run.policy.decide(
                new RetryContext(run.number(), outcome, run.previousDelay, random.get()));
        if (!decision.retry()) {
            return stop(run, outcome, decision.stopReason());
        }
        Duration delay = decision.delay();
        DelayReason reason = DelayReason.BACKOFF;

        Duration hint = outcome.serverHint();
        if (hint != null) {
            if (hint.compareTo(maxServerHint) > 0) {
                return stop(run, outcome, StopReason.SERVER_HINT_TOO_LONG);
            }
            Duration hinted = hint.plus(hintJitter(hint));
            if (hinted.compareTo(delay) > 0) {
                delay = hinted;
                reason = DelayReason.SERVER_HINT;
            }
        }

        if (run.hasDeadline()) {
            // The next attempt must start early enough to get its minimum time before the deadline.
            long minAttempt = run.attemptTimeoutNanos() == 0 ? minAttemptNanos
                    : Math.min(minAttemptNanos, run.attemptTimeoutNanos());
            long latestStart = run.remainingNanos(time) - minAttempt;
            if (latestStart <= 0) {
                return stop(run, outcome, StopReason.DEADLINE_EXCEEDED);
            }
            if (hint != null && hint.toNanos() > latestStart) {
                return stop(run, outcome, StopReason.SERVER_HINT_BEYOND_DEADLINE);
            }
            if (delay.toNanos() > latestStart) {
                delay = Duration.ofNanos(latestStart);
                reason = reason == DelayReason.SERVER_HINT ? DelayReason.SERVER_HINT : DelayReason.DEADLINE;
            }
        }

        int cost = budget.costOfRetry(outcome.timedOut());
        if (!budget.tryAcquire(cost)) {
            return stop(run, outcome, StopReason.RETRY_BUDGET_EXHAUSTED);
        }
        run.lastRetryCost = cost;
        run.previousDelay = delay;

        AttemptEvent event = new AttemptEvent(run.operationId(), run.number(), outcome, delay, reason, null,
                Duration.ofNanos(run.pacedNanos), budget.available());
        run.record(event);
        if (log.isDebugEnabled()) {
            log.debug("Batch call {}", event.describe());
        }
        notifyListener(event);
        return new Step(delay, null);
    }

    /** Ends the operation without a success (also used for deadline, cancellation and interruption). */
    Step stop(OperationRun run, Outcome outcome, StopReason reason) {
        AttemptEvent event = new AttemptEvent(run.operationId(), run.number(), outcome, null, null, reason,
                Duration.ofNanos(run.pacedNanos), budget.available());
        run.record(event);
        if (reason == StopReason.RETRY_BUDGET_EXHAUSTED) {
            log.warn("Batch call {} (retry budget {}/{})", event.describe(), budget.available(), budget.capacity());
        } else if (log.isDebugEnabled()) {
            log.debug("Batch call {}", event.describe());
        }
        notifyListener(event);
        return new Step(Duration.ZERO, new RetryFailedException(run.operationId(), reason, run.history(), outcome));
    }

    /**
     * Tells the listener and the log that the caller cancelled the operation. It may race with an attempt that
     * is finishing on another thread, so it neither reads nor writes the run's history.
     */
    void cancelled(OperationRun run, Throwable cancellation) {
        AttemptEvent event = new AttemptEvent(run.operationId(), run.number(),
                new Outcome(Category.CLIENT, 0, null, null, false, cancellation), null, null, StopReason.CANCELLED,
                Duration.ZERO, budget.available());
        if (log.isDebugEnabled()) {
            log.debug("Batch call {}", event.describe());
        }
        notifyListener(event);
    }

    /**
     * Ends the operation between attempts (deadline passed while waiting, interrupted, cancelled). The event
     * carries the last attempt's outcome, or, before any attempt failed, {@code cause} as a CLIENT outcome.
     */
    Step stopBetweenAttempts(OperationRun run, StopReason reason, Throwable cause) {
        var history = run.history();
        Outcome outcome = history.isEmpty()
                ? new Outcome(Category.CLIENT, 0, null, null, false, cause)
                : history.get(history.size() - 1).outcome();
        return stop(run, outcome, reason);
    }

    private Duration hintJitter(Duration hint) {
        Duration fifth = hint.dividedBy(5);
        Duration bound = fifth.compareTo(MIN_HINT_JITTER) < 0 ? MIN_HINT_JITTER
                : fifth.compareTo(MAX_HINT_JITTER) > 0 ? MAX_HINT_JITTER : fifth;
        return Duration.ofNanos(random.get().nextLong(bound.toNanos() + 1));
    }

    private void notifyListener(AttemptEvent event) {
        if (listener == RetryListener.NONE) {
            return;
        }
        try {
            listener.onAttempt(event);
        } catch (RuntimeException e) {
            log.warn("Retry listener {} failed on {}; ignoring it", listener, event.describe(), e);
        }
    }
}
