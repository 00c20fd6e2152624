package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code StartTaskState} (StartTaskInformation.state). */
public enum StartTaskState {
    @JsonProperty("running") RUNNING,
    @JsonProperty("completed") COMPLETED,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
