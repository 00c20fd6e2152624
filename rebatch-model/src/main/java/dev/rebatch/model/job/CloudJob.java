package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.EnvironmentSetting;
import dev.rebatch.model.common.MetadataItem;
import java.time.Instant;
import java.util.List;

/**
 * Mirrors spec definition {@code CloudJob}: a job as Job_Get and Job_List return it.
 * The components of {@link JobSpec} come first, then the properties the service sets.
 *
 * <p>Not modelled (unknown properties are ignored on read): jobManagerTask, jobPreparationTask, jobReleaseTask,
 * networkConfiguration, stats.
 */
public record CloudJob(
        @JsonProperty("id") String id,
        @JsonProperty("displayName") String displayName,
        @JsonProperty("priority") Integer priority,
        @JsonProperty("maxParallelTasks") Integer maxParallelTasks,
        @JsonProperty("allowTaskPreemption") Boolean allowTaskPreemption,
        @JsonProperty("constraints") JobConstraints constraints,
        @JsonProperty("poolInfo") PoolInformation poolInfo,
        @JsonProperty("onAllTasksComplete") OnAllTasksComplete onAllTasksComplete,
        @JsonProperty("onTaskFailure") OnTaskFailure onTaskFailure,
        @JsonProperty("usesTaskDependencies") Boolean usesTaskDependencies,
        @JsonProperty("commonEnvironmentSettings") List<EnvironmentSetting> commonEnvironmentSettings,
        @JsonProperty("metadata") List<MetadataItem> metadata,
        @JsonProperty("url") String url,
        @JsonProperty("eTag") String eTag,
        @JsonProperty("lastModified") Instant lastModified,
        @JsonProperty("creationTime") Instant creationTime,
        @JsonProperty("state") JobState state,
        @JsonProperty("stateTransitionTime") Instant stateTransitionTime,
        @JsonProperty("previousState") JobState previousState,
        @JsonProperty("previousStateTransitionTime") Instant previousStateTransitionTime,
        @JsonProperty("executionInfo") JobExecutionInformation executionInfo) {

    public CloudJob {
        commonEnvironmentSettings = commonEnvironmentSettings == null ? null : List.copyOf(commonEnvironmentSettings);
        metadata = metadata == null ? null : List.copyOf(metadata);
    }

    /** The add parameters of this job, e.g. to create a job like it. */
    public JobSpec toSpec() {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }
}
