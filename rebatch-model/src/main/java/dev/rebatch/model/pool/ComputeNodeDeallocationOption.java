package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code ComputeNodeDeallocationOption}: what happens to the tasks of removed nodes.
 * Request-only, so it has no UNKNOWN member: the client only sends these values, and a member the service does not
 * know would be rejected.
 */
public enum ComputeNodeDeallocationOption {
    @JsonProperty("requeue") REQUEUE,
    @JsonProperty("terminate") TERMINATE,
    @JsonProperty("taskcompletion") TASK_COMPLETION,
    @JsonProperty("retaineddata") RETAINED_DATA
}
