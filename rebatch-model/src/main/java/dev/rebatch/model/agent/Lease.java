package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.task.CloudTask;

/**
 * A task granted to the node: run it, and report on it under {@code epoch}.
 *
 * @param task the task as Task_Get shows it, kept as the service sent it (commandLine, environmentSettings,
 *             constraints, requiredSlots...), so that nothing a newer service adds is lost on the way to the node
 * @param job  the job's settings the task runs with
 */
public record Lease(
        @JsonProperty("jobId") String jobId,
        @JsonProperty("taskId") String taskId,
        @JsonProperty("epoch") long epoch,
        @JsonProperty("task") JsonNode task,
        @JsonProperty("job") LeaseJob job) {

    public HeldAttempt attempt() {
        return new HeldAttempt(jobId, taskId, epoch);
    }

    /** The task as the typed model reads it. */
    public CloudTask cloudTask() {
        return BatchJson.mapper().convertValue(task, CloudTask.class);
    }

    /** The task's requiredSlots, 1 when it does not say. */
    public int requiredSlots() {
        return task == null ? 1 : Math.max(1, task.path("requiredSlots").asInt(1));
    }
}
