package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code TaskIdRange}: the integer task ids start..end, both inclusive.
 */
public record TaskIdRange(
        @JsonProperty("start") int start,
        @JsonProperty("end") int end) {}
