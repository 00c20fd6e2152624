package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Mirrors spec definition {@code PoolResizeParameter}: the body of Pool_Resize.
 */
public record PoolResize(
        @JsonProperty("targetDedicatedNodes") Integer targetDedicatedNodes,
        @JsonProperty("targetLowPriorityNodes") Integer targetLowPriorityNodes,
        @JsonProperty("resizeTimeout") Duration resizeTimeout,
        @JsonProperty("nodeDeallocationOption") ComputeNodeDeallocationOption nodeDeallocationOption) {

    /** Resize to the given node counts with the service's default timeout and deallocation option. */
    public static PoolResize of(int targetDedicatedNodes, int targetLowPriorityNodes) {
        return new PoolResize(targetDedicatedNodes, targetLowPriorityNodes, null, null);
    }

    public PoolResize withResizeTimeout(Duration resizeTimeout) {
        return new PoolResize(targetDedicatedNodes, targetLowPriorityNodes, resizeTimeout, nodeDeallocationOption);
    }

    public PoolResize withNodeDeallocationOption(ComputeNodeDeallocationOption nodeDeallocationOption) {
        return new PoolResize(targetDedicatedNodes, targetLowPriorityNodes, resizeTimeout, nodeDeallocationOption);
    }
}
