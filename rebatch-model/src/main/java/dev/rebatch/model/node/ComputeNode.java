package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.pool.StartTask;
import java.time.Instant;
import java.util.List;

/**
 * Mirrors spec definition {@code ComputeNode}: a node as ComputeNode_Get and ComputeNode_List return it.
 *
 * <p>Not modelled (unknown properties are ignored on read): certificateReferences, endpointConfiguration,
 * virtualMachineInfo.
 */
public record ComputeNode(
        @JsonProperty("id") String id,
        @JsonProperty("url") String url,
        @JsonProperty("state") ComputeNodeState state,
        @JsonProperty("schedulingState") SchedulingState schedulingState,
        @JsonProperty("stateTransitionTime") Instant stateTransitionTime,
        @JsonProperty("lastBootTime") Instant lastBootTime,
        @JsonProperty("allocationTime") Instant allocationTime,
        @JsonProperty("ipAddress") String ipAddress,
        @JsonProperty("affinityId") String affinityId,
        @JsonProperty("vmSize") String vmSize,
        @JsonProperty("totalTasksRun") Integer totalTasksRun,
        @JsonProperty("runningTasksCount") Integer runningTasksCount,
        @JsonProperty("runningTaskSlotsCount") Integer runningTaskSlotsCount,
        @JsonProperty("totalTasksSucceeded") Integer totalTasksSucceeded,
        @JsonProperty("recentTasks") List<TaskInformation> recentTasks,
        @JsonProperty("isDedicated") Boolean isDedicated,
        @JsonProperty("errors") List<ComputeNodeError> errors,
        @JsonProperty("startTask") StartTask startTask,
        @JsonProperty("startTaskInfo") StartTaskInformation startTaskInfo,
        @JsonProperty("nodeAgentInfo") NodeAgentInformation nodeAgentInfo) {

    public ComputeNode {
        recentTasks = recentTasks == null ? null : List.copyOf(recentTasks);
        errors = errors == null ? null : List.copyOf(errors);
    }
}
