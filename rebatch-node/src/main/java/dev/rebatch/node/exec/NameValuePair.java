package dev.rebatch.node.exec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One detail of a failure (spec NameValuePair). */
public record NameValuePair(@JsonProperty("name") String name, @JsonProperty("value") String value) {}
