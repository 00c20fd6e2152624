package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code ErrorCategory}: who caused a scheduling or task failure. */
public enum ErrorCategory {
    @JsonProperty("usererror") USER_ERROR,
    @JsonProperty("servererror") SERVER_ERROR,
    /** A category newer than this model. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
