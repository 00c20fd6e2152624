package dev.rebatch.server.execution;

import java.util.Map;

/**
 * How many of a job's tasks are in each state (spec TaskCounts): running counts preparing tasks too.
 */
public record TaskCounts(long active, long running, long completed) {

    public TaskCounts {
        if (active < 0 || running < 0 || completed < 0) {
            throw new IllegalArgumentException("negative task count");
        }
    }

    /** From the store's counts by state ("active", "preparing", "running", "completed"). */
    public static TaskCounts fromStates(Map<String, Long> byState) {
        return new TaskCounts(byState.getOrDefault("active", 0L),
                byState.getOrDefault("preparing", 0L) + byState.getOrDefault("running", 0L),
                byState.getOrDefault("completed", 0L));
    }

    public boolean allCompleted() {
        return active == 0 && running == 0;
    }
}
