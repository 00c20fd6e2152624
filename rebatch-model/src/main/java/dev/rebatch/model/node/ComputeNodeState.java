package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec enum {@code ComputeNodeState} (ComputeNode.state).
 * The spec's own "unknown" (the service lost contact with the node) doubles as the default for values newer than
 * this model.
 */
public enum ComputeNodeState {
    @JsonProperty("idle") IDLE,
    @JsonProperty("rebooting") REBOOTING,
    @JsonProperty("reimaging") REIMAGING,
    @JsonProperty("running") RUNNING,
    @JsonProperty("unusable") UNUSABLE,
    @JsonProperty("creating") CREATING,
    @JsonProperty("starting") STARTING,
    @JsonProperty("waitingforstarttask") WAITING_FOR_START_TASK,
    @JsonProperty("starttaskfailed") START_TASK_FAILED,
    /** The spec's "unknown" (the service lost contact with the node), and any state newer than this model. */
    @JsonEnumDefaultValue @JsonProperty("unknown") UNKNOWN,
    @JsonProperty("leavingpool") LEAVING_POOL,
    @JsonProperty("offline") OFFLINE,
    @JsonProperty("preempted") PREEMPTED,
    @JsonProperty("upgradingos") UPGRADING_OS,
    @JsonProperty("deallocated") DEALLOCATED,
    @JsonProperty("deallocating") DEALLOCATING
}
