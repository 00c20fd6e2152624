package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code TaskAddStatus} (TaskAddResult.status). */
public enum TaskAddStatus {
    @JsonProperty("success") SUCCESS,
    @JsonProperty("clienterror") CLIENT_ERROR,
    @JsonProperty("servererror") SERVER_ERROR,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
