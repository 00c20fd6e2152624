package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Mirrors spec definition {@code TaskConstraints}; {@code maxTaskRetryCount} -1 retries without limit.
 */
public record TaskConstraints(
        @JsonProperty("maxWallClockTime") Duration maxWallClockTime,
        @JsonProperty("retentionTime") Duration retentionTime,
        @JsonProperty("maxTaskRetryCount") Integer maxTaskRetryCount) {

    /** No constraints: the service defaults (no wall-clock limit, 7 days retention, the job's retry count). */
    public static TaskConstraints empty() {
        return new TaskConstraints(null, null, null);
    }

    public TaskConstraints withMaxWallClockTime(Duration maxWallClockTime) {
        return new TaskConstraints(maxWallClockTime, retentionTime, maxTaskRetryCount);
    }

    public TaskConstraints withRetentionTime(Duration retentionTime) {
        return new TaskConstraints(maxWallClockTime, retentionTime, maxTaskRetryCount);
    }

    public TaskConstraints withMaxTaskRetryCount(Integer maxTaskRetryCount) {
        return new TaskConstraints(maxWallClockTime, retentionTime, maxTaskRetryCount);
    }
}
