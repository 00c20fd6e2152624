package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code TaskCountsResult}: the answer of Job_GetTaskCounts.
 */
public record TaskCountsResult(
        @JsonProperty("taskCounts") TaskCounts taskCounts,
        @JsonProperty("taskSlotCounts") TaskSlotCounts taskSlotCounts) {}
