package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One attempt of a task under one lease: the task and the lease's fencing epoch.
 *
 * @param jobId  the task's job
 * @param taskId the task
 * @param epoch  the lease's epoch: 1 at the first grant, + 1 at every later one
 */
public record HeldAttempt(
        @JsonProperty("jobId") String jobId,
        @JsonProperty("taskId") String taskId,
        @JsonProperty("epoch") long epoch) {}
