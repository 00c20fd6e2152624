package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code EnvironmentSetting}: one environment variable of a task. */
public record EnvironmentSetting(@JsonProperty("name") String name, @JsonProperty("value") String value) {}
