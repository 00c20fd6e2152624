package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code NodeRebootParameter}: the body of ComputeNode_Reboot.
 */
public record NodeReboot(
        @JsonProperty("nodeRebootOption") ComputeNodeRebootOption nodeRebootOption) {}
