package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code ApplicationPackageReference}; {@code version} null means the default version. */
public record ApplicationPackageReference(
        @JsonProperty("applicationId") String applicationId,
        @JsonProperty("version") String version) {}
