package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code AccessScope} (AuthenticationTokenSettings.access). */
public enum AccessScope {
    @JsonProperty("job") JOB,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
