package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.MetadataItem;
import java.util.List;

/**
 * Mirrors spec definition {@code JobPatchParameter}: the body of Job_Patch; a null component is left unchanged,
 * an empty list clears. poolInfo may change only while the job is disabled.
 *
 * <p>Not modelled (unknown properties are ignored on read): networkConfiguration.
 */
public record JobPatch(
        @JsonProperty("priority") Integer priority,
        @JsonProperty("maxParallelTasks") Integer maxParallelTasks,
        @JsonProperty("allowTaskPreemption") Boolean allowTaskPreemption,
        @JsonProperty("onAllTasksComplete") OnAllTasksComplete onAllTasksComplete,
        @JsonProperty("constraints") JobConstraints constraints,
        @JsonProperty("poolInfo") PoolInformation poolInfo,
        @JsonProperty("metadata") List<MetadataItem> metadata) {

    public JobPatch {
        metadata = metadata == null ? null : List.copyOf(metadata);
    }

    /** A patch that changes nothing; add the changes with the with-methods. */
    public static JobPatch empty() {
        return new JobPatch(null, null, null, null, null, null, null);
    }

    public JobPatch withPriority(Integer priority) {
        return new JobPatch(priority, maxParallelTasks, allowTaskPreemption, onAllTasksComplete, constraints,
                poolInfo, metadata);
    }

    public JobPatch withMaxParallelTasks(Integer maxParallelTasks) {
        return new JobPatch(priority, maxParallelTasks, allowTaskPreemption, onAllTasksComplete, constraints,
                poolInfo, metadata);
    }

    public JobPatch withAllowTaskPreemption(Boolean allowTaskPreemption) {
        return new JobPatch(priority, maxParallelTasks, allowTaskPreemption, onAllTasksComplete, constraints,
                poolInfo, metadata);
    }

    public JobPatch withOnAllTasksComplete(OnAllTasksComplete onAllTasksComplete) {
        return new JobPatch(priority, maxParallelTasks, allowTaskPreemption, onAllTasksComplete, constraints,
                poolInfo, metadata);
    }

    public JobPatch withConstraints(JobConstraints constraints) {
        return new JobPatch(priority, maxParallelTasks, allowTaskPreemption, onAllTasksComplete, constraints,
                poolInfo, metadata);
    }

    public JobPatch withPoolInfo(PoolInformation poolInfo) {
        return new JobPatch(priority, maxParallelTasks, allowTaskPreemption, onAllTasksComplete, constraints,
                poolInfo, metadata);
    }

    public JobPatch withMetadata(List<MetadataItem> metadata) {
        return new JobPatch(priority, maxParallelTasks, allowTaskPreemption, onAllTasksComplete, constraints,
                poolInfo, metadata);
    }
}
