package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code JobTerminateParameter}: the body of Job_Terminate.
 * A null reason means "UserTerminate".
 *
 * <p>Not modelled (unknown properties are ignored on read): forceAfterSeconds (2024-07-01.20.0 only).
 */
public record JobTerminate(
        @JsonProperty("terminateReason") String terminateReason) {}
