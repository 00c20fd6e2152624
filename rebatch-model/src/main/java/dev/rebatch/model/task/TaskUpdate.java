package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code TaskUpdateParameter}: the body of Task_Update (constraints only).
 */
public record TaskUpdate(
        @JsonProperty("constraints") TaskConstraints constraints) {}
