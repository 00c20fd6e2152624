package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code JobAction} (ExitOptions.jobAction): what a task exit does to its job. */
public enum JobAction {
    @JsonProperty("none") NONE,
    @JsonProperty("disable") DISABLE,
    @JsonProperty("terminate") TERMINATE,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
