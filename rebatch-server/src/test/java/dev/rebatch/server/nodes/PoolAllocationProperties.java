package dev.rebatch.server.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.Json;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A pool's allocation follows its registered nodes, for any targets and counts. */
class PoolAllocationProperties {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static ObjectNode pool(int target) {
        ObjectNode pool = Json.MAPPER.createObjectNode();
        pool.put("targetDedicatedNodes", target);
        return pool;
    }

    @Property
    void withoutAProvisionerAPoolIsSteadyWithTheNodesThatRegistered(@ForAll @IntRange(max = 50) int target,
            @ForAll @IntRange(max = 50) int registered) {
        ObjectNode pool = pool(target);

        PoolAllocation.resized(pool, registered, false, NOW);

        assertThat(pool.path("allocationState").asText()).isEqualTo("steady");
        assertThat(pool.path("currentDedicatedNodes").asInt()).isEqualTo(registered);
        assertThat(pool.path("currentLowPriorityNodes").asInt()).isZero();
    }

    @Property
    void withAProvisionerAPoolResizesUntilItsNodesReachTheTarget(@ForAll @IntRange(max = 50) int target,
            @ForAll @IntRange(max = 50) int registered) {
        ObjectNode pool = pool(target);

        PoolAllocation.resized(pool, registered, true, NOW);
        assertThat(pool.path("allocationState").asText()).isEqualTo(registered == target ? "steady" : "resizing");

        for (int nodes = registered; nodes != target; nodes += Integer.signum(target - registered)) {
            PoolAllocation.nodesChanged(pool, nodes, NOW);
            assertThat(pool.path("allocationState").asText()).isEqualTo("resizing");
        }
        assertThat(PoolAllocation.nodesChanged(pool, target, NOW)).isEqualTo(registered != target);
        assertThat(pool.path("allocationState").asText()).isEqualTo("steady");
        assertThat(pool.path("currentDedicatedNodes").asInt()).isEqualTo(target);
    }

    @Property
    void aStoppedResizeIsSteadyWithTheNodesThereAre(@ForAll @IntRange(max = 50) int target,
            @ForAll @IntRange(max = 50) int registered) {
        ObjectNode pool = pool(target);
        PoolAllocation.resized(pool, 0, true, NOW);

        PoolAllocation.stopped(pool, registered, NOW);

        assertThat(pool.path("allocationState").asText()).isEqualTo("steady");
        assertThat(pool.path("currentDedicatedNodes").asInt()).isEqualTo(registered);
    }
}
