package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Mirrors spec definition {@code SubtaskInformation}: one instance of a multi-instance task.
 *
 * <p>Not modelled (unknown properties are ignored on read): containerInfo (Rebatch nodes do not run task
 * containers).
 */
public record SubtaskInformation(
        @JsonProperty("id") Integer id,
        @JsonProperty("nodeInfo") ComputeNodeInformation nodeInfo,
        @JsonProperty("startTime") Instant startTime,
        @JsonProperty("endTime") Instant endTime,
        @JsonProperty("exitCode") Integer exitCode,
        @JsonProperty("failureInfo") TaskFailureInformation failureInfo,
        @JsonProperty("state") SubtaskState state,
        @JsonProperty("stateTransitionTime") Instant stateTransitionTime,
        @JsonProperty("previousState") SubtaskState previousState,
        @JsonProperty("previousStateTransitionTime") Instant previousStateTransitionTime,
        @JsonProperty("result") TaskExecutionResult result) {}
