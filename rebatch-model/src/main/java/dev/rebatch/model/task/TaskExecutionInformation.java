package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Mirrors spec definition {@code TaskExecutionInformation}.
 *
 * <p>Not modelled (unknown properties are ignored on read): containerInfo (Rebatch nodes do not run task
 * containers).
 */
public record TaskExecutionInformation(
        @JsonProperty("startTime") Instant startTime,
        @JsonProperty("endTime") Instant endTime,
        @JsonProperty("exitCode") Integer exitCode,
        @JsonProperty("failureInfo") TaskFailureInformation failureInfo,
        @JsonProperty("retryCount") int retryCount,
        @JsonProperty("lastRetryTime") Instant lastRetryTime,
        @JsonProperty("requeueCount") int requeueCount,
        @JsonProperty("lastRequeueTime") Instant lastRequeueTime,
        @JsonProperty("result") TaskExecutionResult result) {}
