package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.ApplicationPackageReference;
import dev.rebatch.model.common.MetadataItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Mirrors spec definition {@code PoolAddParameter}: the body of Pool_Add ({@code POST /pools}).
 *
 * <p>Not modelled (unknown properties are ignored on read): networkConfiguration, certificateReferences,
 * userAccounts, mountConfiguration, targetNodeCommunicationMode, upgradePolicy, resourceTags.
 */
public record PoolSpec(
        @JsonProperty("id") String id,
        @JsonProperty("displayName") String displayName,
        @JsonProperty("vmSize") String vmSize,
        @JsonProperty("virtualMachineConfiguration") VirtualMachineConfiguration virtualMachineConfiguration,
        @JsonProperty("resizeTimeout") Duration resizeTimeout,
        @JsonProperty("targetDedicatedNodes") Integer targetDedicatedNodes,
        @JsonProperty("targetLowPriorityNodes") Integer targetLowPriorityNodes,
        @JsonProperty("enableAutoScale") Boolean enableAutoScale,
        @JsonProperty("autoScaleFormula") String autoScaleFormula,
        @JsonProperty("enableInterNodeCommunication") Boolean enableInterNodeCommunication,
        @JsonProperty("taskSlotsPerNode") Integer taskSlotsPerNode,
        @JsonProperty("taskSchedulingPolicy") TaskSchedulingPolicy taskSchedulingPolicy,
        @JsonProperty("metadata") List<MetadataItem> metadata,
        @JsonProperty("autoScaleEvaluationInterval") Duration autoScaleEvaluationInterval,
        @JsonProperty("startTask") StartTask startTask,
        @JsonProperty("applicationPackageReferences") List<ApplicationPackageReference> applicationPackageReferences) {

    public PoolSpec {
        metadata = metadata == null ? null : List.copyOf(metadata);
        applicationPackageReferences = applicationPackageReferences == null ? null
                : List.copyOf(applicationPackageReferences);
    }

    /**
     * A fixed-size pool of {@code targetDedicatedNodes} nodes of {@code vmSize}. Rebatch needs nothing more; Azure
     * Batch also wants {@link #withVirtualMachineConfiguration(ImageReference, String)}.
     */
    public static PoolSpec of(String id, String vmSize, int targetDedicatedNodes) {
        return new PoolSpec(id, null, vmSize, null, null, targetDedicatedNodes, null, null, null, null, null, null,
                null, null, null, null);
    }

    public PoolSpec withVirtualMachineConfiguration(ImageReference imageReference, String nodeAgentSKUId) {
        return withVirtualMachineConfiguration(new VirtualMachineConfiguration(imageReference, nodeAgentSKUId));
    }

    public PoolSpec withTaskSchedulingPolicy(ComputeNodeFillType nodeFillType) {
        return withTaskSchedulingPolicy(new TaskSchedulingPolicy(nodeFillType));
    }

    /** This pool with one more metadata item. */
    public PoolSpec withMetadataItem(String name, String value) {
        List<MetadataItem> items = metadata == null ? new ArrayList<>() : new ArrayList<>(metadata);
        items.add(new MetadataItem(name, value));
        return withMetadata(items);
    }

    /**
     * This pool sized by an autoscale formula instead of fixed targets: sets enableAutoScale, the formula and the
     * evaluation interval (null: the service default of 15 minutes) and clears both target node counts, which Batch
     * rejects together with autoscale.
     */
    public PoolSpec withAutoScale(String autoScaleFormula, Duration autoScaleEvaluationInterval) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout, null, null, true,
                autoScaleFormula, enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withDisplayName(String displayName) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withVirtualMachineConfiguration(VirtualMachineConfiguration virtualMachineConfiguration) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withResizeTimeout(Duration resizeTimeout) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withTargetDedicatedNodes(Integer targetDedicatedNodes) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withTargetLowPriorityNodes(Integer targetLowPriorityNodes) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withEnableInterNodeCommunication(Boolean enableInterNodeCommunication) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withTaskSlotsPerNode(Integer taskSlotsPerNode) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withTaskSchedulingPolicy(TaskSchedulingPolicy taskSchedulingPolicy) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withMetadata(List<MetadataItem> metadata) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withStartTask(StartTask startTask) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }

    public PoolSpec withApplicationPackageReferences(List<ApplicationPackageReference> applicationPackageReferences) {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }
}
