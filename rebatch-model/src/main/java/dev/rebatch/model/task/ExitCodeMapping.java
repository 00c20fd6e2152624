package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code ExitCodeMapping}: the exit options of one exit code.
 */
public record ExitCodeMapping(
        @JsonProperty("code") int code,
        @JsonProperty("exitOptions") ExitOptions exitOptions) {}
