package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code AllocationState} (CloudPool.allocationState). */
public enum AllocationState {
    @JsonProperty("steady") STEADY,
    @JsonProperty("resizing") RESIZING,
    @JsonProperty("stopping") STOPPING,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
