package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code DependencyAction} (ExitOptions.dependencyAction): whether dependent tasks may run. */
public enum DependencyAction {
    @JsonProperty("satisfy") SATISFY,
    @JsonProperty("block") BLOCK,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
