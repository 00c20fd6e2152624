package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code NameValuePair}: one detail of an error. */
public record NameValuePair(@JsonProperty("name") String name, @JsonProperty("value") String value) {}
