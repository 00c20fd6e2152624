package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code AutoUserSpecification}. */
public record AutoUserSpecification(
        @JsonProperty("scope") AutoUserScope scope,
        @JsonProperty("elevationLevel") ElevationLevel elevationLevel) {}
