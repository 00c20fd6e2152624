package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Mirrors spec definition {@code JobExecutionInformation}.
 */
public record JobExecutionInformation(
        @JsonProperty("startTime") Instant startTime,
        @JsonProperty("endTime") Instant endTime,
        @JsonProperty("poolId") String poolId,
        @JsonProperty("schedulingError") JobSchedulingError schedulingError,
        @JsonProperty("terminateReason") String terminateReason) {}
