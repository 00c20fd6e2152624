package dev.rebatch.client;

import dev.rebatch.model.job.TaskCounts;
import java.time.Duration;

/**
 * A job's task counts at one poll of {@link TaskOperations#waitForTasks}.
 *
 * @param active    waiting to run (including tasks waiting for a retry or for their dependencies)
 * @param running   running (or preparing) on a node
 * @param completed completed, whatever the result
 * @param succeeded completed with success
 * @param failed    completed with a failure
 * @param elapsed   time since the wait began
 */
public record TaskCountsSnapshot(long active, long running, long completed, long succeeded, long failed,
        Duration elapsed) {

    static TaskCountsSnapshot of(TaskCounts counts, Duration elapsed) {
        return new TaskCountsSnapshot(value(counts.active()), value(counts.running()), value(counts.completed()),
                value(counts.succeeded()), value(counts.failed()), elapsed);
    }

    public long total() {
        return active + running + completed;
    }

    /** True when no task is left to run. */
    public boolean allCompleted() {
        return active == 0 && running == 0;
    }

    private static long value(Number n) {
        return n == null ? 0 : n.longValue();
    }
}
