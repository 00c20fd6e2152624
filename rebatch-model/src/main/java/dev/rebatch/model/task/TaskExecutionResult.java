package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code TaskExecutionResult}. */
public enum TaskExecutionResult {
    @JsonProperty("success") SUCCESS,
    @JsonProperty("failure") FAILURE,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
