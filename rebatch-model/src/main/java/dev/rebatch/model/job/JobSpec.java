package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.EnvironmentSetting;
import dev.rebatch.model.common.MetadataItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Mirrors spec definition {@code JobAddParameter}: the body of Job_Add ({@code POST /jobs}).
 *
 * <p>Not modelled (unknown properties are ignored on read): jobManagerTask, jobPreparationTask, jobReleaseTask,
 * networkConfiguration.
 */
public record JobSpec(
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
        @JsonProperty("metadata") List<MetadataItem> metadata) {

    public JobSpec {
        commonEnvironmentSettings = commonEnvironmentSettings == null ? null : List.copyOf(commonEnvironmentSettings);
        metadata = metadata == null ? null : List.copyOf(metadata);
    }

    /** A job on the existing pool {@code poolId}, with the service's defaults for everything else. */
    public static JobSpec of(String id, String poolId) {
        return new JobSpec(id, null, null, null, null, null, new PoolInformation(poolId), null, null, null, null, null);
    }

    /** Sets constraints.maxTaskRetryCount, keeping the other constraints; -1 retries without limit. */
    public JobSpec withMaxTaskRetryCount(int maxTaskRetryCount) {
        return withConstraints(constraintsOrEmpty().withMaxTaskRetryCount(maxTaskRetryCount));
    }

    /** Sets constraints.maxWallClockTime, keeping the other constraints. */
    public JobSpec withMaxWallClockTime(Duration maxWallClockTime) {
        return withConstraints(constraintsOrEmpty().withMaxWallClockTime(maxWallClockTime));
    }

    /** This job with one more common environment setting. */
    public JobSpec withCommonEnvironmentSetting(String name, String value) {
        List<EnvironmentSetting> settings = commonEnvironmentSettings == null ? new ArrayList<>()
                : new ArrayList<>(commonEnvironmentSettings);
        settings.add(new EnvironmentSetting(name, value));
        return withCommonEnvironmentSettings(settings);
    }

    /** This job with one more metadata item. */
    public JobSpec withMetadataItem(String name, String value) {
        List<MetadataItem> items = metadata == null ? new ArrayList<>() : new ArrayList<>(metadata);
        items.add(new MetadataItem(name, value));
        return withMetadata(items);
    }

    private JobConstraints constraintsOrEmpty() {
        return constraints == null ? JobConstraints.empty() : constraints;
    }

    public JobSpec withDisplayName(String displayName) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withPriority(Integer priority) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withMaxParallelTasks(Integer maxParallelTasks) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withAllowTaskPreemption(Boolean allowTaskPreemption) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withConstraints(JobConstraints constraints) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withPoolInfo(PoolInformation poolInfo) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withOnAllTasksComplete(OnAllTasksComplete onAllTasksComplete) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withOnTaskFailure(OnTaskFailure onTaskFailure) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withUsesTaskDependencies(Boolean usesTaskDependencies) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withCommonEnvironmentSettings(List<EnvironmentSetting> commonEnvironmentSettings) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }

    public JobSpec withMetadata(List<MetadataItem> metadata) {
        return new JobSpec(id, displayName, priority, maxParallelTasks, allowTaskPreemption, constraints, poolInfo,
                onAllTasksComplete, onTaskFailure, usesTaskDependencies, commonEnvironmentSettings, metadata);
    }
}
