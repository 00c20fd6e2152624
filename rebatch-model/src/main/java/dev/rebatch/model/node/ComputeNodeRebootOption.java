package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec enum {@code ComputeNodeRebootOption}: what happens to the tasks running on the node.
 * Request-only, so it has no UNKNOWN member: the client only sends these values, and a member the service does not
 * know would be rejected.
 */
public enum ComputeNodeRebootOption {
    @JsonProperty("requeue") REQUEUE,
    @JsonProperty("terminate") TERMINATE,
    @JsonProperty("taskcompletion") TASK_COMPLETION,
    @JsonProperty("retaineddata") RETAINED_DATA
}
