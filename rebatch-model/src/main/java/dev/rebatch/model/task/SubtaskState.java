package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code SubtaskState}: the state of a multi-instance subtask. */
public enum SubtaskState {
    @JsonProperty("preparing") PREPARING,
    @JsonProperty("running") RUNNING,
    @JsonProperty("completed") COMPLETED,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
