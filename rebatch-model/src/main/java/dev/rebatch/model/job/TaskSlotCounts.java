package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code TaskSlotCounts}: the task slots of a job by state.
 */
public record TaskSlotCounts(
        @JsonProperty("active") int active,
        @JsonProperty("running") int running,
        @JsonProperty("completed") int completed,
        @JsonProperty("succeeded") int succeeded,
        @JsonProperty("failed") int failed) {}
