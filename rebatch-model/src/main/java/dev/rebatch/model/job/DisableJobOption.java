package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec enum {@code DisableJobOption} (JobDisableParameter.disableTasks): what happens to running tasks.
 * Request-only, so it has no UNKNOWN member: the client only sends these values, and a member the service does not
 * know would be rejected.
 */
public enum DisableJobOption {
    @JsonProperty("requeue") REQUEUE,
    @JsonProperty("terminate") TERMINATE,
    @JsonProperty("wait") WAIT
}
