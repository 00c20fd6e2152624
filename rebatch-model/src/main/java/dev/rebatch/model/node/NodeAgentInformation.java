package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Mirrors spec definition {@code NodeAgentInformation}: the node agent's version.
 */
public record NodeAgentInformation(
        @JsonProperty("version") String version,
        @JsonProperty("lastUpdateTime") Instant lastUpdateTime) {}
