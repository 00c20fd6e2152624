package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code AutoUserScope} (AutoUserSpecification.scope). */
public enum AutoUserScope {
    @JsonProperty("task") TASK,
    @JsonProperty("pool") POOL,
    /** A scope newer than this model. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
