package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code ComputeNodeInformation}: the node a task ran on.
 */
public record ComputeNodeInformation(
        @JsonProperty("affinityId") String affinityId,
        @JsonProperty("nodeUrl") String nodeUrl,
        @JsonProperty("poolId") String poolId,
        @JsonProperty("nodeId") String nodeId,
        @JsonProperty("taskRootDirectory") String taskRootDirectory,
        @JsonProperty("taskRootDirectoryUrl") String taskRootDirectoryUrl) {}
