package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Mirrors spec definition {@code AutoScaleRun}: the result of an autoscale formula evaluation.
 */
public record AutoScaleRun(
        @JsonProperty("timestamp") Instant timestamp,
        @JsonProperty("results") String results,
        @JsonProperty("error") AutoScaleRunError error) {}
