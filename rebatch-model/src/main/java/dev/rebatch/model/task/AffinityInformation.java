package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code AffinityInformation}: a locality hint (a node's affinityId).
 */
public record AffinityInformation(
        @JsonProperty("affinityId") String affinityId) {}
