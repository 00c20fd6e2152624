package dev.rebatch.cli.crash;

import static dev.rebatch.cli.crash.CrashJobs.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BatchClient;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.node.ComputeNodeState;
import dev.rebatch.model.pool.AllocationState;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.server.store.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code rebatch server} processes with local nodes on one PostgreSQL schema; the one running the local nodes
 * is killed with SIGKILL, so its nodes stay registered (nothing makes them leave) and its lock session ends with
 * its socket. The survivor takes the lock at its next check, removes the dead instance's nodes and starts its own.
 */
class LocalNodesTakeoverCrashTest {

    private static final Pattern STANDBY = Pattern.compile("LOCAL NODES: on, standby");

    @TempDir
    Path directory;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        ChildJvm.closeAll(children);
    }

    @Test
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void theSurvivorReplacesAKilledHoldersNodesSoThePoolHasExactlyItsTarget() throws Exception {
        try (PostgresTestDatabase database = PostgresTestDatabase.create()) {
            try {
                ChildJvm a = ChildJvm.server("instance-a", directory, "--store", database.url(),
                        "--data", directory.resolve("data-a").toString());
                children.add(a);
                ChildJvm b = ChildJvm.server("instance-b", directory, "--store", database.url(),
                        "--data", directory.resolve("data-b").toString());
                children.add(b);
                b.awaitOutput(STANDBY, Duration.ofSeconds(5));
                Supplier<String> logs = () -> a.tail() + b.tail();
                BatchClient batch = CrashJobs.client(b.endpoint());
                batch.pools().create(PoolSpec.of("shared", "standard_d2s_v3", 2));
                Set<String> ofA = awaitWorkingNodes(batch, "shared", 2, Set.of(), logs);

                a.kill9();
                long killed = System.nanoTime();
                // Right after the kill its nodes still look idle (they turn unknown once silent for a lease): wait for others.
                Set<String> ofB = awaitWorkingNodes(batch, "shared", 2, ofA, logs);
                double seconds = (System.nanoTime() - killed) / 1e9;
                System.out.printf("LOCAL-NODES takeover after kill -9 of the holder: the pool had 2 working nodes "
                        + "again %.1f s later%n", seconds);

                assertThat(ofB).as("new nodes, none of the killed instance's").doesNotContainAnyElementsOf(ofA);
                // Had the killed instance's nodes stayed (silent, then unknown), the pool would count 4, not be steady.
                assertThat(CrashJobs.nodes(batch, "shared")).as("exactly the target").hasSize(2);
            } finally {
                ChildJvm.closeAll(children); // before the schema is dropped
            }
        }
    }

    /**
     * Waits until the pool is steady with exactly {@code count} nodes, every one idle and none of {@code not};
     * returns their ids.
     */
    private static Set<String> awaitWorkingNodes(BatchClient batch, String poolId, int count, Set<String> not,
            Supplier<String> logs) {
        await("pool " + poolId + " steady with " + count + " idle node(s), none of " + not, Duration.ofSeconds(60),
                () -> {
            CloudPool pool = batch.pools().get(poolId);
            List<ComputeNode> nodes = CrashJobs.nodes(batch, poolId);
            return pool.allocationState() == AllocationState.STEADY && pool.currentDedicatedNodes() == count
                    && nodes.size() == count && nodes.stream().allMatch(node -> node.state() == ComputeNodeState.IDLE
                    && !not.contains(node.id()));
        }, logs);
        return CrashJobs.nodes(batch, poolId).stream().map(ComputeNode::id).collect(Collectors.toSet());
    }
}
