package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.task.TaskExecutionResult;
import dev.rebatch.model.task.TaskFailureInformation;
import java.time.Instant;

/**
 * Mirrors spec definition {@code StartTaskInformation}: how the start task went on a node.
 *
 * <p>Not modelled (unknown properties are ignored on read): containerInfo (Rebatch nodes do not run task
 * containers).
 */
public record StartTaskInformation(
        @JsonProperty("state") StartTaskState state,
        @JsonProperty("startTime") Instant startTime,
        @JsonProperty("endTime") Instant endTime,
        @JsonProperty("exitCode") Integer exitCode,
        @JsonProperty("failureInfo") TaskFailureInformation failureInfo,
        @JsonProperty("retryCount") int retryCount,
        @JsonProperty("lastRetryTime") Instant lastRetryTime,
        @JsonProperty("result") TaskExecutionResult result) {}
