package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.ApplicationPackageReference;
import dev.rebatch.model.common.MetadataItem;
import java.util.List;

/**
 * Mirrors spec definition {@code PoolPatchParameter}: the body of Pool_Patch; a null component is left unchanged,
 * an empty list clears (e.g. {@code withMetadata(List.of())} removes all metadata).
 *
 * <p>Not modelled (unknown properties are ignored on read): certificateReferences, targetNodeCommunicationMode,
 * networkConfiguration, userAccounts, mountConfiguration, upgradePolicy, resourceTags.
 */
public record PoolPatch(
        @JsonProperty("startTask") StartTask startTask,
        @JsonProperty("applicationPackageReferences") List<ApplicationPackageReference> applicationPackageReferences,
        @JsonProperty("metadata") List<MetadataItem> metadata,
        @JsonProperty("displayName") String displayName,
        @JsonProperty("vmSize") String vmSize,
        @JsonProperty("taskSlotsPerNode") Integer taskSlotsPerNode,
        @JsonProperty("taskSchedulingPolicy") TaskSchedulingPolicy taskSchedulingPolicy,
        @JsonProperty("enableInterNodeCommunication") Boolean enableInterNodeCommunication,
        @JsonProperty("virtualMachineConfiguration") VirtualMachineConfiguration virtualMachineConfiguration) {

    public PoolPatch {
        applicationPackageReferences = applicationPackageReferences == null ? null
                : List.copyOf(applicationPackageReferences);
        metadata = metadata == null ? null : List.copyOf(metadata);
    }

    /** A patch that changes nothing; add the changes with the with-methods. */
    public static PoolPatch empty() {
        return new PoolPatch(null, null, null, null, null, null, null, null, null);
    }

    public PoolPatch withStartTask(StartTask startTask) {
        return new PoolPatch(startTask, applicationPackageReferences, metadata, displayName, vmSize,
                taskSlotsPerNode, taskSchedulingPolicy, enableInterNodeCommunication, virtualMachineConfiguration);
    }

    public PoolPatch withApplicationPackageReferences(List<ApplicationPackageReference> applicationPackageReferences) {
        return new PoolPatch(startTask, applicationPackageReferences, metadata, displayName, vmSize,
                taskSlotsPerNode, taskSchedulingPolicy, enableInterNodeCommunication, virtualMachineConfiguration);
    }

    public PoolPatch withMetadata(List<MetadataItem> metadata) {
        return new PoolPatch(startTask, applicationPackageReferences, metadata, displayName, vmSize,
                taskSlotsPerNode, taskSchedulingPolicy, enableInterNodeCommunication, virtualMachineConfiguration);
    }

    public PoolPatch withDisplayName(String displayName) {
        return new PoolPatch(startTask, applicationPackageReferences, metadata, displayName, vmSize,
                taskSlotsPerNode, taskSchedulingPolicy, enableInterNodeCommunication, virtualMachineConfiguration);
    }

    public PoolPatch withVmSize(String vmSize) {
        return new PoolPatch(startTask, applicationPackageReferences, metadata, displayName, vmSize,
                taskSlotsPerNode, taskSchedulingPolicy, enableInterNodeCommunication, virtualMachineConfiguration);
    }

    public PoolPatch withTaskSlotsPerNode(Integer taskSlotsPerNode) {
        return new PoolPatch(startTask, applicationPackageReferences, metadata, displayName, vmSize,
                taskSlotsPerNode, taskSchedulingPolicy, enableInterNodeCommunication, virtualMachineConfiguration);
    }

    public PoolPatch withTaskSchedulingPolicy(TaskSchedulingPolicy taskSchedulingPolicy) {
        return new PoolPatch(startTask, applicationPackageReferences, metadata, displayName, vmSize,
                taskSlotsPerNode, taskSchedulingPolicy, enableInterNodeCommunication, virtualMachineConfiguration);
    }

    public PoolPatch withEnableInterNodeCommunication(Boolean enableInterNodeCommunication) {
        return new PoolPatch(startTask, applicationPackageReferences, metadata, displayName, vmSize,
                taskSlotsPerNode, taskSchedulingPolicy, enableInterNodeCommunication, virtualMachineConfiguration);
    }

    public PoolPatch withVirtualMachineConfiguration(VirtualMachineConfiguration virtualMachineConfiguration) {
        return new PoolPatch(startTask, applicationPackageReferences, metadata, displayName, vmSize,
                taskSlotsPerNode, taskSchedulingPolicy, enableInterNodeCommunication, virtualMachineConfiguration);
    }
}
