package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code MetadataItem}: a name-value pair attached to a pool, job or schedule. */
public record MetadataItem(@JsonProperty("name") String name, @JsonProperty("value") String value) {}
