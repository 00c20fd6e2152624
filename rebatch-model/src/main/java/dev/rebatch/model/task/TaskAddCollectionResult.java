package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Mirrors spec definition {@code TaskAddCollectionResult}: the answer of Task_AddCollection, in any order.
 */
public record TaskAddCollectionResult(
        @JsonProperty("value") List<TaskAddResult> value) {

    public TaskAddCollectionResult {
        value = value == null ? null : List.copyOf(value);
    }
}
