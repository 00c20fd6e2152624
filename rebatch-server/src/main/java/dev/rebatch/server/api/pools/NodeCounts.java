package dev.rebatch.server.api.pools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.Json;
import java.util.Locale;
import java.util.Map;

/** Spec NodeCounts: how many nodes of a pool are in each state, plus the total. */
final class NodeCounts {

    /** The spec's property names; the stored states are the same names in lowercase (ComputeNodeState). */
    private static final String[] STATES = {"creating", "idle", "offline", "preempted", "rebooting", "reimaging",
            "running", "starting", "startTaskFailed", "leavingPool", "unknown", "unusable", "waitingForStartTask",
            "upgradingOS", "deallocated", "deallocating"};

    private NodeCounts() {}

    static ObjectNode none() {
        return of(Map.of());
    }

    /** @param byState node counts keyed by stored (lowercase) state */
    static ObjectNode of(Map<String, Long> byState) {
        ObjectNode counts = Json.MAPPER.createObjectNode();
        long total = 0;
        for (String state : STATES) {
            long count = byState.getOrDefault(state.toLowerCase(Locale.ROOT), 0L);
            counts.put(state, count);
            total += count;
        }
        counts.put("total", total);
        return counts;
    }
}
