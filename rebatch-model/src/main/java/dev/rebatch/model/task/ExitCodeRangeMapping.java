package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code ExitCodeRangeMapping}: the exit options of the codes start..end, both inclusive.
 */
public record ExitCodeRangeMapping(
        @JsonProperty("start") int start,
        @JsonProperty("end") int end,
        @JsonProperty("exitOptions") ExitOptions exitOptions) {}
