package dev.rebatch.node.retention;

import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.files.FileTreeDeleter;
import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a task's directory once its retentionTime has passed since the task completed (constraints.retentionTime,
 * 7 days by default), and remembers that it did, so that the file API can answer TaskFilesCleanedup instead of a
 * plain "not found".
 *
 * <p>The {@link dev.rebatch.node.exec.TaskLauncher} tells it when attempts start ({@link #taskStarted}: a retry or a
 * reactivated task is no longer due for removal) and end ({@link #taskCompleted}). A periodic {@link #sweep} on the
 * shared scheduler removes what is due by the injected clock, so tests move time instead of waiting for it.
 *
 * <p>What it knows lives in memory: after an agent restart, directories left from before are not swept. Thread-safe.
 */
public final class RetentionSweeper {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    /** Retention is counted in days; a minute's lateness does not matter, and a sweep of nothing costs nothing. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private final NodeLayout layout;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    /** When each completed task's directory is due for removal. Guarded by {@code this}. */
    private final Map<TaskKey, Instant> due = new HashMap<>();
    /** Tasks whose directory was removed. Guarded by {@code this}. */
    private final Set<TaskKey> cleanedUp = new HashSet<>();
    private ScheduledFuture<?> sweeping;

    public RetentionSweeper(NodeLayout layout, ScheduledExecutorService scheduler, Clock clock) {
        this.layout = Objects.requireNonNull(layout);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Sweeps every {@code interval} on the scheduler until {@link #stop}; starting twice is harmless. */
    public synchronized void start(Duration interval) {
        if (sweeping == null) {
            sweeping = scheduler.scheduleWithFixedDelay(this::sweepLogged, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    public synchronized void stop() {
        if (sweeping != null) {
            sweeping.cancel(false);
            sweeping = null;
        }
    }

    /** An attempt of the task starts: its directory is in use again, and is no longer cleaned up. */
    public synchronized void taskStarted(TaskKey task) {
        due.remove(task);
        cleanedUp.remove(task);
    }

    /** The task completed at {@code completedAt}; its directory goes {@code retentionTime} later. */
    public synchronized void taskCompleted(TaskKey task, Instant completedAt, Duration retentionTime) {
        Instant removal;
        try {
            removal = completedAt.plus(retentionTime);
        } catch (DateTimeException | ArithmeticException e) {
            removal = Instant.MAX; // an "unlimited" retention
        }
        due.put(task, removal);
        cleanedUp.remove(task);
    }

    /** When the task's directory is due for removal; empty when it is running, unknown or already removed. */
    public synchronized Optional<Instant> removalTime(TaskKey task) {
        return Optional.ofNullable(due.get(task));
    }

    /** Whether the task's directory was removed after its retention time (TaskFilesCleanedup). */
    public synchronized boolean isCleanedUp(TaskKey task) {
        return cleanedUp.contains(task);
    }

    /**
     * Removes every task directory that is due now.
     *
     * @return the tasks whose directories were removed
     */
    public List<TaskKey> sweep() {
        List<TaskKey> candidates;
        synchronized (this) {
            Instant now = clock.instant();
            candidates = due.entrySet().stream().filter(entry -> !entry.getValue().isAfter(now))
                    .map(Map.Entry::getKey).toList();
        }
        List<TaskKey> removed = new ArrayList<>();
        for (TaskKey task : candidates) {
            if (remove(task)) {
                removed.add(task);
            }
        }
        return removed;
    }

    /**
     * Removes one task's directory. Under the lock, so that a new attempt cannot create its directory while it is
     * being deleted ({@link #taskStarted} waits); deleting is rare enough for that.
     */
    private synchronized boolean remove(TaskKey task) {
        Instant removal = due.get(task);
        if (removal == null || removal.isAfter(clock.instant())) {
            return false; // started again, or given more time, since the sweep looked
        }
        try {
            FileTreeDeleter.deleteTree(layout.taskDir(task));
        } catch (IOException e) {
            log.warn("Cannot remove the directory of task {} after its retention time; the next sweep retries", task,
                    e);
            return false;
        }
        due.remove(task);
        cleanedUp.add(task);
        log.debug("Removed the directory of task {}: its retention time ended at {}", task, removal);
        return true;
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // An exception would end the periodic sweep for good.
            log.warn("Retention sweep failed", e);
        }
    }
}
