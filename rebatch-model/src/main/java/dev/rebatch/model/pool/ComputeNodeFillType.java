package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec enum {@code ComputeNodeFillType} (TaskSchedulingPolicy.nodeFillType). */
public enum ComputeNodeFillType {
    @JsonProperty("spread") SPREAD,
    @JsonProperty("pack") PACK,
    /** A value newer than this model: what the service sent is not one of the above. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN
}
