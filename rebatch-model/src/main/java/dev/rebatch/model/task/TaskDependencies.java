package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Mirrors spec definition {@code TaskDependencies}: the tasks a task waits for.
 */
public record TaskDependencies(
        @JsonProperty("taskIds") List<String> taskIds,
        @JsonProperty("taskIdRanges") List<TaskIdRange> taskIdRanges) {

    public TaskDependencies {
        taskIds = taskIds == null ? null : List.copyOf(taskIds);
        taskIdRanges = taskIdRanges == null ? null : List.copyOf(taskIdRanges);
    }

    /** Depends on the tasks with these ids. */
    public static TaskDependencies onTasks(String... taskIds) {
        return new TaskDependencies(List.of(taskIds), null);
    }

    /** Depends on the tasks with these ids. */
    public static TaskDependencies onTasks(Collection<String> taskIds) {
        return new TaskDependencies(List.copyOf(taskIds), null);
    }

    /** Depends on the tasks with the integer ids start..end, both inclusive. */
    public static TaskDependencies onRange(int start, int end) {
        return new TaskDependencies(null, List.of(new TaskIdRange(start, end)));
    }

    /** These dependencies and the tasks with these ids. */
    public TaskDependencies andTasks(String... more) {
        List<String> ids = taskIds == null ? new ArrayList<>() : new ArrayList<>(taskIds);
        ids.addAll(Arrays.asList(more));
        return new TaskDependencies(ids, taskIdRanges);
    }

    /** These dependencies and the tasks with the integer ids start..end, both inclusive. */
    public TaskDependencies andRange(int start, int end) {
        List<TaskIdRange> ranges = taskIdRanges == null ? new ArrayList<>() : new ArrayList<>(taskIdRanges);
        ranges.add(new TaskIdRange(start, end));
        return new TaskDependencies(taskIds, ranges);
    }
}
