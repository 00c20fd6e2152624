package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Mirrors spec definition {@code TaskAddCollectionParameter}: the body of Task_AddCollection, at most 100 tasks
 * and less than 1 MB serialized.
 */
public record TaskAddCollection(
        @JsonProperty("value") List<TaskSpec> value) {

    public TaskAddCollection {
        value = value == null ? null : List.copyOf(value);
    }

    public static TaskAddCollection of(TaskSpec... tasks) {
        return new TaskAddCollection(List.of(tasks));
    }
}
