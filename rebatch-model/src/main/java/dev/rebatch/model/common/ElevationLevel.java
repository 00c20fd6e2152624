package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code ElevationLevel}. */
public enum ElevationLevel {
    @JsonProperty("nonadmin") NON_ADMIN,
    @JsonProperty("admin") ADMIN,
    /** A level newer than this model. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
