package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.ApplicationPackageReference;
import dev.rebatch.model.common.MetadataItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Mirrors spec definition {@code CloudPool}: a pool as Pool_Get and Pool_List return it.
 * The components of {@link PoolSpec} come first, then the properties the service sets.
 *
 * <p>Not modelled (unknown properties are ignored on read): networkConfiguration, certificateReferences,
 * userAccounts, mountConfiguration, targetNodeCommunicationMode, upgradePolicy, resourceTags, stats, identity,
 * currentNodeCommunicationMode.
 */
public record CloudPool(
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
        @JsonProperty("applicationPackageReferences") List<ApplicationPackageReference> applicationPackageReferences,
        @JsonProperty("url") String url,
        @JsonProperty("eTag") String eTag,
        @JsonProperty("lastModified") Instant lastModified,
        @JsonProperty("creationTime") Instant creationTime,
        @JsonProperty("state") PoolState state,
        @JsonProperty("stateTransitionTime") Instant stateTransitionTime,
        @JsonProperty("allocationState") AllocationState allocationState,
        @JsonProperty("allocationStateTransitionTime") Instant allocationStateTransitionTime,
        @JsonProperty("currentDedicatedNodes") Integer currentDedicatedNodes,
        @JsonProperty("currentLowPriorityNodes") Integer currentLowPriorityNodes,
        @JsonProperty("resizeErrors") List<ResizeError> resizeErrors,
        @JsonProperty("autoScaleRun") AutoScaleRun autoScaleRun) {

    public CloudPool {
        metadata = metadata == null ? null : List.copyOf(metadata);
        applicationPackageReferences = applicationPackageReferences == null ? null
                : List.copyOf(applicationPackageReferences);
        resizeErrors = resizeErrors == null ? null : List.copyOf(resizeErrors);
    }

    /** The add parameters of this pool, e.g. to create a pool like it. */
    public PoolSpec toSpec() {
        return new PoolSpec(id, displayName, vmSize, virtualMachineConfiguration, resizeTimeout,
                targetDedicatedNodes, targetLowPriorityNodes, enableAutoScale, autoScaleFormula,
                enableInterNodeCommunication, taskSlotsPerNode, taskSchedulingPolicy, metadata,
                autoScaleEvaluationInterval, startTask, applicationPackageReferences);
    }
}
