package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.task.TaskExecutionInformation;
import dev.rebatch.model.task.TaskState;

/**
 * Mirrors spec definition {@code TaskInformation}: a task that ran on a node recently.
 */
public record TaskInformation(
        @JsonProperty("taskUrl") String taskUrl,
        @JsonProperty("jobId") String jobId,
        @JsonProperty("taskId") String taskId,
        @JsonProperty("subtaskId") Integer subtaskId,
        @JsonProperty("taskState") TaskState taskState,
        @JsonProperty("executionInfo") TaskExecutionInformation executionInfo) {}
