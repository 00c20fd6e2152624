package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code TaskCounts}: the tasks of a job by state.
 */
public record TaskCounts(
        @JsonProperty("active") int active,
        @JsonProperty("running") int running,
        @JsonProperty("completed") int completed,
        @JsonProperty("succeeded") int succeeded,
        @JsonProperty("failed") int failed) {}
