package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code PoolNodeCounts}: one pool of Account_ListPoolNodeCounts.
 */
public record PoolNodeCounts(
        @JsonProperty("poolId") String poolId,
        @JsonProperty("dedicated") NodeCounts dedicated,
        @JsonProperty("lowPriority") NodeCounts lowPriority) {}
