package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code NodeFile}: a file or directory of a task or a node.
 */
public record NodeFile(
        @JsonProperty("name") String name,
        @JsonProperty("url") String url,
        @JsonProperty("isDirectory") Boolean isDirectory,
        @JsonProperty("properties") FileProperties properties) {}
