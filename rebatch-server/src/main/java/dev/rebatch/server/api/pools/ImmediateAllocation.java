package dev.rebatch.server.api.pools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.Timestamps;
import java.time.Instant;

/**
 * How a pool reaches its target size today: at once, and with no nodes.
 *
 * <p>Rebatch does not provision compute nodes yet; they arrive with local node agents (the execution issue). Until
 * then, creating or resizing a pool records the targets the client asked for, and allocation is over before the
 * response is sent: {@code allocationState} is {@code steady} and {@code currentDedicatedNodes} and
 * {@code currentLowPriorityNodes} are 0. Stopping a resize likewise ends at once.
 *
 * <p>This is the seam the execution issue replaces: a resize will leave the pool {@code resizing} while node agents
 * join or leave, and whatever tracks them will count the current nodes and set {@code steady} (or record
 * {@code resizeErrors}) when the target is reached or {@code resizeTimeout} expires. {@link PoolRules} already refuses
 * a second resize while one is in progress.
 */
final class ImmediateAllocation {

    private ImmediateAllocation() {}

    /** Settles {@code pool}'s allocation: steady, with the (zero) nodes Rebatch has. */
    static void settle(ObjectNode pool, Instant now) {
        pool.put("allocationState", AllocationState.STEADY.wire());
        pool.put("allocationStateTransitionTime", Timestamps.iso(now));
        pool.put("currentDedicatedNodes", 0);
        pool.put("currentLowPriorityNodes", 0);
    }
}
