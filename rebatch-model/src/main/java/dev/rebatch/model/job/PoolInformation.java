package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code PoolInformation}: the existing pool a job runs on.
 *
 * <p>Not modelled (unknown properties are ignored on read): autoPoolSpecification.
 */
public record PoolInformation(
        @JsonProperty("poolId") String poolId) {}
