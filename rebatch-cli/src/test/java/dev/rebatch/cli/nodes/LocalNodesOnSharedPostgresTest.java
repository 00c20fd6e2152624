package dev.rebatch.cli.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.ListOptions;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.WaitOptions;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.node.ComputeNodeState;
import dev.rebatch.model.pool.AllocationState;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.server.ServerLauncher;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.metrics.ServiceMetrics;
import dev.rebatch.server.nodes.LocalNodeLeadership;
import dev.rebatch.server.store.PostgresTestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code rebatch server} instances (in this JVM, through {@link ServerLauncher} as the command starts them) with
 * local nodes on one PostgreSQL schema: one runs the pools' agents, the other stands by and takes over when the first
 * stops or loses its lock. Lock checks are triggered by the test ({@link LocalNodeLeadership#checkNow}); the waits
 * are for agents to register.
 */
class LocalNodesOnSharedPostgresTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("REBATCH_ACCOUNT_NAME", TestService.ACCOUNT,
            "REBATCH_ACCOUNT_KEY", TestService.KEY);

    @TempDir
    Path directory;

    private final List<ServerLauncher.Running> started = new ArrayList<>();
    private PostgresTestDatabase database;

    @BeforeEach
    void createSchema() throws Exception {
        database = PostgresTestDatabase.create();
    }

    /** The instances first, then the schema they use. */
    @AfterEach
    void stopAll() throws Exception {
        try {
            started.forEach(ServerLauncher.Running::close);
        } finally {
            database.close();
        }
    }

    @Test
    void twoInstancesRunExactlyThePoolsTargetAndTheOtherTakesOverWhenTheFirstStops() throws Exception {
        ServerLauncher.Running a = start("a");
        ServerLauncher.Running b = start("b");
        assertThat(leadership(a).leading()).as("the first instance takes the lock").isTrue();
        assertThat(leadership(b).leading()).as("the second stands by").isFalse();
        assertThat(banner(b)).contains("LOCAL NODES: on, standby: another instance of this store runs them");
        assertThat(banner(a)).contains("this instance runs them: it holds a PostgreSQL advisory lock");

        // Created through the standby: the holder reads it from the store.
        BatchClient throughB = client(b);
        throughB.pools().create(PoolSpec.of("shared", "standard_d2s_v3", 2));
        Set<String> first = awaitWorkingNodes(throughB, "shared", 2);
        leadership(b).checkNow();
        leadership(a).checkNow();
        assertThat(nodes(throughB, "shared")).as("still exactly the target, all from the first instance")
                .extracting(ComputeNode::id).containsExactlyInAnyOrderElementsOf(first);
        assertThat(metric(b)).contains("rebatch_local_nodes_leader 0.0");
        assertThat(metric(a)).contains("rebatch_local_nodes_leader 1.0");

        // The first stops: its agents leave and its lock is released; the other takes over.
        a.close();
        assertThat(nodes(throughB, "shared")).as("the first instance's agents left").extracting(ComputeNode::id)
                .doesNotContainAnyElementsOf(first);
        awaitLeading(b);
        Set<String> second = awaitWorkingNodes(throughB, "shared", 2);
        assertThat(second).doesNotContainAnyElementsOf(first);
        runsTasks(throughB, "shared");
    }

    @Test
    void anInstanceWhoseLockSessionEndsStopsItsAgentsAndTheOtherTakesOver() throws Exception {
        ServerLauncher.Running a = start("a");
        ServerLauncher.Running b = start("b");
        BatchClient throughA = client(a);
        throughA.pools().create(PoolSpec.of("shared", "standard_d2s_v3", 2));
        Set<String> first = awaitWorkingNodes(throughA, "shared", 2);

        // As if PostgreSQL dropped the first instance's lock session while the instance runs on.
        assertThat(database.terminateInstanceLockHolders()).isEqualTo(1);
        awaitLeading(b);
        leadership(a).checkNow();
        assertThat(leadership(a).leading()).as("the first noticed it lost it").isFalse();

        BatchClient throughB = client(b);
        Set<String> second = awaitWorkingNodes(throughB, "shared", 2);
        assertThat(second).doesNotContainAnyElementsOf(first);
        leadership(a).checkNow();
        assertThat(leadership(a).leading()).as("the lock is the other's now").isFalse();
        assertThat(nodes(throughA, "shared")).extracting(ComputeNode::id)
                .containsExactlyInAnyOrderElementsOf(second);
        runsTasks(throughA, "shared");
    }

    private ServerLauncher.Running start(String name) {
        ServerLauncher.Running running = ServerLauncher.start(new ServerLauncher.Settings("127.0.0.1", 0,
                directory.resolve(name), database.url(), null), ENVIRONMENT, (endpoint, accounts, dataDir) ->
                LocalNodeProvisioner.start(endpoint, Map.of(TestService.ACCOUNT, TestService.KEY),
                        dataDir.resolve("nodes"), agent -> agent.killGrace(Duration.ofSeconds(1))));
        started.add(running);
        return running;
    }

    private static LocalNodeLeadership leadership(ServerLauncher.Running running) {
        return running.localNodes().orElseThrow();
    }

    /** Checks until the instance holds the lock: a session PostgreSQL ended may take a moment to free it. */
    private static void awaitLeading(ServerLauncher.Running running) throws InterruptedException {
        LocalNodesEndToEndTest.await("the instance on port " + running.port() + " takes the lock", () -> {
            leadership(running).checkNow();
            return leadership(running).leading();
        });
    }

    private static String banner(ServerLauncher.Running running) {
        StringWriter out = new StringWriter();
        running.printBanner(new PrintWriter(out));
        return out.toString();
    }

    private static String metric(ServerLauncher.Running running) {
        return new SignedHttp("http://127.0.0.1:" + running.port(), TestService.ACCOUNT, TestService.KEY)
                .send("GET", ServiceMetrics.PATH, null).body();
    }

    private static BatchClient client(ServerLauncher.Running running) {
        return BatchClient.builder().endpoint("http://127.0.0.1:" + running.port())
                .sharedKey(TestService.ACCOUNT, TestService.KEY)
                .retryPolicy(RetryPolicyProvider.exponentialRetry(Duration.ofMillis(100), 6))
                .attemptTimeout(Duration.ofSeconds(30)).build();
    }

    private static List<ComputeNode> nodes(BatchClient batch, String poolId) {
        return batch.nodes().list(poolId, ListOptions.ALL, RequestOptions.DEFAULTS).toList();
    }

    /** Waits until the pool is steady with exactly {@code count} nodes, every one idle; returns their ids. */
    private static Set<String> awaitWorkingNodes(BatchClient batch, String poolId, int count)
            throws InterruptedException {
        LocalNodesEndToEndTest.await("pool " + poolId + " steady with " + count + " idle node(s)", () -> {
            CloudPool pool = batch.pools().get(poolId);
            List<ComputeNode> nodes = nodes(batch, poolId);
            return pool.allocationState() == AllocationState.STEADY && pool.currentDedicatedNodes() == count
                    && nodes.size() == count && nodes.stream().allMatch(node -> node.state() == ComputeNodeState.IDLE);
        });
        return nodes(batch, poolId).stream().map(ComputeNode::id).collect(Collectors.toSet());
    }

    /** The nodes work: a job's tasks all complete with exit code 0. */
    private static void runsTasks(BatchClient batch, String poolId) {
        batch.jobs().create(JobSpec.of("after-takeover", poolId));
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(TaskSpec.of("t" + i, "/bin/sh -c 'exit 0'"));
        }
        batch.tasks().addTasks("after-takeover", tasks);
        assertThat(batch.tasks().waitForTasks("after-takeover", WaitOptions.DEFAULTS.withDeadline(
                Duration.ofMinutes(1))).completed()).isEqualTo(6);
        assertThat(batch.jobs().taskCounts("after-takeover").taskCounts().succeeded()).isEqualTo(6);
    }
}
