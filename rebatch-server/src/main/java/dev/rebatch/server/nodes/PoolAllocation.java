package dev.rebatch.server.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.Timestamps;
import java.time.Instant;

/**
 * A pool's allocation (allocationState, currentDedicatedNodes) from the nodes registered in it. Node agents join a pool
 * by registering; whether the pool waits for them after a resize depends on whether a {@link NodeProvisioner} starts
 * them: with one, the pool is {@code resizing} until the registered nodes reach its targets (dedicated + low-priority);
 * without one it is {@code steady} at once, since nothing would come because of the target. Either way {@code currentDedicatedNodes} is
 * the number of nodes registered (every registered node is dedicated; there are no low-priority nodes).
 */
public final class PoolAllocation {

    private static final String STEADY = "steady";
    private static final String RESIZING = "resizing";

    private PoolAllocation() {}

    /** A create or resize set new targets in {@code pool}. */
    public static void resized(ObjectNode pool, int registeredNodes, boolean provisioning, Instant now) {
        boolean waiting = provisioning && registeredNodes != target(pool);
        setAllocation(pool, waiting ? RESIZING : STEADY, now);
        counts(pool, registeredNodes);
    }

    /** A resize was stopped: the pool keeps the nodes it has. */
    public static void stopped(ObjectNode pool, int registeredNodes, Instant now) {
        setAllocation(pool, STEADY, now);
        counts(pool, registeredNodes);
    }

    /**
     * Nodes joined or left. A resizing pool whose registered nodes reached the target becomes steady.
     *
     * @return whether the document changed
     */
    public static boolean nodesChanged(ObjectNode pool, int registeredNodes, Instant now) {
        boolean changed = pool.path("currentDedicatedNodes").asInt(-1) != registeredNodes
                || pool.path("currentLowPriorityNodes").asInt(-1) != 0;
        counts(pool, registeredNodes);
        if (RESIZING.equals(pool.path("allocationState").asText())
                && registeredNodes == target(pool)) {
            setAllocation(pool, STEADY, now);
            changed = true;
        }
        return changed;
    }

    /**
     * How many nodes a provisioner starts for the pool: both targets, as every node here is dedicated (a provisioner
     * starts the low-priority ones too).
     */
    private static int target(ObjectNode pool) {
        return pool.path("targetDedicatedNodes").asInt(0) + pool.path("targetLowPriorityNodes").asInt(0);
    }

    private static void setAllocation(ObjectNode pool, String state, Instant now) {
        pool.put("allocationState", state);
        pool.put("allocationStateTransitionTime", Timestamps.iso(now));
    }

    private static void counts(ObjectNode pool, int registeredNodes) {
        pool.put("currentDedicatedNodes", registeredNodes);
        pool.put("currentLowPriorityNodes", 0);
    }
}
