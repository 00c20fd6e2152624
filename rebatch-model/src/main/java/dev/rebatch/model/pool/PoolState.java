package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code PoolState} (CloudPool.state). */
public enum PoolState {
    @JsonProperty("active") ACTIVE,
    @JsonProperty("deleting") DELETING,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
