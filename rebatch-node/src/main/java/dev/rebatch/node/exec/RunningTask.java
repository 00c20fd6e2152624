package dev.rebatch.node.exec;

import dev.rebatch.node.TaskKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One attempt of a task, from launch to outcome. Nothing here blocks: the outcome is a future, the wall-clock limit a
 * timer on the shared scheduler, and ending the task only starts the kill. Thread-safe.
 */
public final class RunningTask {

    private final TaskKey task;
    private final Instant startTime;
    /** {@code null} when the attempt failed before a process ran. */
    private final SpawnedProcess process;
    private final CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
    /** Why the node is ending the task; the first reason wins and becomes the failureInfo. */
    private final AtomicReference<FailureInfo> ending = new AtomicReference<>();
    /** Completes when the tree of an ended task is gone. */
    private final CompletableFuture<Void> treeGone = new CompletableFuture<>();
    private final ScheduledExecutorService scheduler;
    private final Duration killGrace;
    private volatile ScheduledFuture<?> wallClockTimer;
    /** Set once the outcome is known, before anyone is told. */
    private volatile boolean finishing;

    private RunningTask(TaskKey task, Instant startTime, SpawnedProcess process, ScheduledExecutorService scheduler,
            Duration killGrace) {
        this.task = task;
        this.startTime = startTime;
        this.process = process;
        this.scheduler = scheduler;
        this.killGrace = killGrace;
    }

    /**
     * Watches a started process: arms the wall-clock timer and completes the outcome when the process (and, if the
     * node ended it, its whole tree) is gone. {@code beforeOutcome} runs first, so whoever sees the outcome also sees
     * its effects (the task no longer listed as running, its retention started).
     */
    static RunningTask watch(TaskKey task, Instant startTime, SpawnedProcess process, Duration maxWallClockTime,
            ScheduledExecutorService scheduler, Duration killGrace, Clock clock, Consumer<TaskOutcome> beforeOutcome) {
        RunningTask running = new RunningTask(task, startTime, process, scheduler, killGrace);
        if (maxWallClockTime != null) {
            running.wallClockTimer = scheduler.schedule(
                    () -> running.end(FailureInfo.wallClockExceeded(maxWallClockTime)), maxWallClockTime.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        process.exitCode()
                .thenCompose(exitCode -> running.ending.get() == null ? CompletableFuture.completedFuture(exitCode)
                        : running.treeGone.thenApply(gone -> exitCode))
                .thenApply(exitCode -> running.exitOutcome(exitCode, clock.instant()))
                .whenComplete((result, error) -> running.complete(result, error, beforeOutcome));
        return running;
    }

    /** An attempt that ended before any process ran (launch failure). */
    static RunningTask failed(TaskOutcome outcome, Consumer<TaskOutcome> beforeOutcome) {
        RunningTask failed = new RunningTask(outcome.task(), outcome.startTime(), null, null, null);
        failed.complete(outcome, null, beforeOutcome);
        return failed;
    }

    public TaskKey task() {
        return task;
    }

    public Instant startTime() {
        return startTime;
    }

    /** The process id of the task's root process; empty when no process ran. */
    public OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    /**
     * The attempt's outcome; it never completes exceptionally for a task's own failures, which are in the outcome's
     * failureInfo. Dependent stages run on the thread that collected the process: keep them short or use the async
     * variants.
     * Each call returns a new copy, so cancelling it does not end the task; use {@link #cancel}.
     */
    public CompletableFuture<TaskOutcome> outcome() {
        return outcome.copy();
    }

    public boolean isDone() {
        return outcome.isDone();
    }

    /**
     * Ends the task because the service asked (terminate, delete, ...): its whole process tree is killed (SIGTERM,
     * then SIGKILL after the grace period) and the outcome carries failureInfo TaskEnded. Returns at once.
     *
     * @return {@code true} if this call started ending the task; {@code false} if it had already ended or was
     *         already being ended
     */
    public boolean cancel(CancelReason reason) {
        return end(FailureInfo.cancelled(reason));
    }

    private boolean end(FailureInfo why) {
        if (process == null || process.exitCode().isDone() || !ending.compareAndSet(null, why)) {
            return false;
        }
        Optional<ProcessHandle> root = process.handle();
        if (root.isEmpty()) {
            treeGone.complete(null); // collected since the check above: nothing of it is left to reach
            return true;
        }
        try {
            ProcessTree.terminate(root.get(), killGrace, scheduler)
                    .whenComplete((ignored, error) -> treeGone.complete(null));
        } catch (RuntimeException e) {
            // No scheduler to poll with (shut down): kill what can be reached now rather than leave the outcome hanging.
            process.killNow();
            treeGone.complete(null);
            throw e;
        }
        return true;
    }

    private TaskOutcome exitOutcome(int exitCode, Instant endTime) {
        FailureInfo why = ending.get();
        if (why == null && exitCode != 0) {
            why = FailureInfo.failureExitCode(exitCode);
        }
        return new TaskOutcome(task, startTime, endTime, exitCode, why);
    }

    /** Whether the outcome is known (it may not be published yet). */
    boolean isFinishing() {
        return finishing;
    }

    private void complete(TaskOutcome result, Throwable error, Consumer<TaskOutcome> beforeOutcome) {
        finishing = true;
        ScheduledFuture<?> timer = wallClockTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        try {
            if (result != null) {
                beforeOutcome.accept(result);
            }
        } finally {
            if (error != null) {
                outcome.completeExceptionally(error);
            } else {
                outcome.complete(result);
            }
        }
    }
}
