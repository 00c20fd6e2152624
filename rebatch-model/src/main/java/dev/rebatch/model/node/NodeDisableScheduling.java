package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code NodeDisableSchedulingParameter}: the body of ComputeNode_DisableScheduling.
 */
public record NodeDisableScheduling(
        @JsonProperty("nodeDisableSchedulingOption") DisableComputeNodeSchedulingOption nodeDisableSchedulingOption) {}
