package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code JobState}. */
public enum JobState {
    @JsonProperty("active") ACTIVE,
    @JsonProperty("disabling") DISABLING,
    @JsonProperty("disabled") DISABLED,
    @JsonProperty("enabling") ENABLING,
    @JsonProperty("terminating") TERMINATING,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("deleting") DELETING,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
