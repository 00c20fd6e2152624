package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code JobDisableParameter}: the body of Job_Disable.
 */
public record JobDisable(
        @JsonProperty("disableTasks") DisableJobOption disableTasks) {}
