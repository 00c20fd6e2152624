package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code NodeCounts}: the number of nodes in each state.
 */
public record NodeCounts(
        @JsonProperty("creating") int creating,
        @JsonProperty("idle") int idle,
        @JsonProperty("offline") int offline,
        @JsonProperty("preempted") int preempted,
        @JsonProperty("rebooting") int rebooting,
        @JsonProperty("reimaging") int reimaging,
        @JsonProperty("running") int running,
        @JsonProperty("starting") int starting,
        @JsonProperty("startTaskFailed") int startTaskFailed,
        @JsonProperty("leavingPool") int leavingPool,
        @JsonProperty("unknown") int unknown,
        @JsonProperty("unusable") int unusable,
        @JsonProperty("waitingForStartTask") int waitingForStartTask,
        @JsonProperty("upgradingOS") int upgradingOS,
        @JsonProperty("deallocated") int deallocated,
        @JsonProperty("deallocating") int deallocating,
        @JsonProperty("total") int total) {}
