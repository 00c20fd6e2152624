package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Mirrors spec definition {@code CloudTaskListSubtasksResult}: the answer of Task_ListSubtasks (never paged).
 */
public record CloudTaskListSubtasksResult(
        @JsonProperty("value") List<SubtaskInformation> value) {

    public CloudTaskListSubtasksResult {
        value = value == null ? null : List.copyOf(value);
    }
}
