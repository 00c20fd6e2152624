package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Mirrors spec definition {@code FileProperties}.
 */
public record FileProperties(
        @JsonProperty("creationTime") Instant creationTime,
        @JsonProperty("lastModified") Instant lastModified,
        @JsonProperty("contentLength") long contentLength,
        @JsonProperty("contentType") String contentType,
        @JsonProperty("fileMode") String fileMode) {}
