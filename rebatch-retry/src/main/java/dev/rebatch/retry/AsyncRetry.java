package dev.rebatch.retry;

import dev.rebatch.retry.time.TimeSource.Cancellable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One asynchronous operation in flight: runs an attempt, and on failure schedules the next one on the time
 * source instead of blocking a thread. Each step starts only after the previous one finished, so the run's
 * state needs no locking; only the handles that cancellation reads are volatile.
 */
final class AsyncRetry<T> {

    private final RetryRules rules;
    private final OperationRun run;
    private final AsyncOperation<T> operation;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile Cancellable pendingTimer;
    private volatile CompletableFuture<?> inFlight;

    AsyncRetry(RetryRules rules, OperationRun run, AsyncOperation<T> operation) {
        this.rules = rules;
        this.run = run;
        this.operation = operation;
    }

    CompletableFuture<T> start() {
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                cancelOutstandingWork();
                rules.cancelled(run, error);
            }
        });
        pacedAttempt();
        return result;
    }

    private void pacedAttempt() {
        long wait = rules.pace(run);
        if (wait > 0) {
            pendingTimer = rules.time.schedule(this::attempt, Duration.ofNanos(wait));
        } else {
            attempt();
        }
    }

    private void attempt() {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<T> source;
        try {
            source = operation.call(run).toCompletableFuture();
        } catch (RuntimeException | Error failure) {
            onFailure(failure);
            return;
        }
        inFlight = source;
        // The attempt's own outcome: the source's, unless the timeout fires first. Kept apart from the source
        // so that cancelling the source on timeout is not mistaken for the caller cancelling the operation.
        CompletableFuture<T> attempt = new CompletableFuture<>();
        Cancellable timeout = scheduleTimeout(attempt, source);
        source.whenComplete((value, error) -> {
            if (error == null) {
                attempt.complete(value);
            } else {
                attempt.completeExceptionally(error);
            }
        });
        attempt.whenComplete((value, error) -> {
            if (timeout != null) {
                timeout.cancel();
            }
            if (error == null) {
                rules.afterSuccess(run);
                result.complete(value);
            } else {
                onFailure(unwrap(error));
            }
        });
        if (result.isCancelled()) {
            source.cancel(true);
        }
    }

    private Cancellable scheduleTimeout(CompletableFuture<T> attempt, CompletableFuture<T> source) {
        long timeoutNanos = run.currentTimeoutNanos();
        if (timeoutNanos == 0) {
            return null;
        }
        int number = run.number();
        return rules.time.schedule(() -> {
            AttemptTimeoutException timeout = new AttemptTimeoutException("Attempt " + number + " of operation "
                    + run.operationId() + " took longer than " + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
            if (attempt.completeExceptionally(timeout)) {
                source.cancel(true); // lets a cancellable source (an HttpClient exchange) stop its work
            }
        }, Duration.ofNanos(timeoutNanos));
    }

    private void onFailure(Throwable failure) {
        if (result.isDone()) {
            return;
        }
        RetryRules.Step step = rules.afterFailure(run, failure);
        if (!step.retry()) {
            result.completeExceptionally(step.failure());
            return;
        }
        pendingTimer = rules.time.schedule(this::nextAttempt, step.delay());
        if (result.isCancelled()) {
            cancelOutstandingWork();
        }
    }

    private void nextAttempt() {
        if (result.isDone()) {
            return;
        }
        if (!run.startNextAttempt(rules.time)) {
            result.completeExceptionally(
                    rules.stopBetweenAttempts(run, StopReason.DEADLINE_EXCEEDED, null).failure());
            return;
        }
        pacedAttempt();
    }

    private void cancelOutstandingWork() {
        Cancellable timer = pendingTimer;
        if (timer != null) {
            timer.cancel();
        }
        CompletableFuture<?> attempt = inFlight;
        if (attempt != null) {
            attempt.cancel(true);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
