package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code TaskSchedulingPolicy}.
 */
public record TaskSchedulingPolicy(
        @JsonProperty("nodeFillType") ComputeNodeFillType nodeFillType) {}
