package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code SchedulingState} (ComputeNode.schedulingState). */
public enum SchedulingState {
    @JsonProperty("enabled") ENABLED,
    @JsonProperty("disabled") DISABLED,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
