package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Mirrors spec definition {@code JobConstraints}; {@code maxTaskRetryCount} -1 retries without limit.
 */
public record JobConstraints(
        @JsonProperty("maxWallClockTime") Duration maxWallClockTime,
        @JsonProperty("maxTaskRetryCount") Integer maxTaskRetryCount) {

    /** No constraints: the service defaults (no wall-clock limit, no retries). */
    public static JobConstraints empty() {
        return new JobConstraints(null, null);
    }

    public JobConstraints withMaxWallClockTime(Duration maxWallClockTime) {
        return new JobConstraints(maxWallClockTime, maxTaskRetryCount);
    }

    public JobConstraints withMaxTaskRetryCount(Integer maxTaskRetryCount) {
        return new JobConstraints(maxWallClockTime, maxTaskRetryCount);
    }
}
