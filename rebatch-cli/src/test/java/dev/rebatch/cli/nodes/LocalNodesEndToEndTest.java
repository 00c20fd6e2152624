package dev.rebatch.cli.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.ListOptions;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.WaitOptions;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.TaskCounts;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.node.ComputeNodeState;
import dev.rebatch.model.pool.AllocationState;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.PoolResize;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskExecutionResult;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.node.agent.NodeAgent;
import dev.rebatch.server.TestService;
import dev.rebatch.server.dispatch.ExecutionSettings;
import dev.rebatch.server.faults.FaultRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default end to end: the service with local node agents, pools whose nodes come and go with their
 * targets, tasks that run as processes, a flaky service and an agent that dies.
 */
class LocalNodesEndToEndTest {

    /** Short timing, so that a dead agent's tasks are requeued within seconds. */
    private static final ExecutionSettings FAST = new ExecutionSettings(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofMillis(200));

    @TempDir
    Path directory;

    @Test
    void twoLocalNodesRunFiftyTasksAndComeAndGoWithThePool() throws Exception {
        try (LocalNodesService service = LocalNodesService.start(directory, ExecutionSettings.DEFAULTS,
                FaultRules.none())) {
            BatchClient batch = service.client();
            batch.pools().create(PoolSpec.of("pool-1", "standard_d2s_v3", 2));
            awaitSteady(batch, "pool-1", 2);

            batch.jobs().create(JobSpec.of("job-1", "pool-1"));
            batch.tasks().addTasks("job-1", fiftyTasks());
            assertThat(batch.tasks().waitForTasks("job-1", WaitOptions.DEFAULTS.withDeadline(Duration.ofMinutes(3)))
                    .completed()).isEqualTo(50);

            assertFiftyTasksRanRight(batch, "job-1");
            for (String id : List.of("task-00", "task-07")) {
                assertThat(new String(batch.files().read("job-1", id, "stdout.txt", RequestOptions.DEFAULTS),
                        StandardCharsets.UTF_8)).isEqualTo(id + "\n");
            }
            await("both nodes idle, 50 tasks run between them", () -> {
                List<ComputeNode> nodes = nodes(batch, "pool-1");
                return nodes.size() == 2 && nodes.stream().allMatch(node -> node.state() == ComputeNodeState.IDLE
                        && node.runningTasksCount() == 0)
                        && nodes.stream().mapToInt(ComputeNode::totalTasksRun).sum() == 50;
            });

            // Shrinking: one agent leaves, the pool is steady at one node.
            batch.pools().resize("pool-1", PoolResize.of(1, 0));
            awaitSteady(batch, "pool-1", 1);
            service.provisioner().awaitChanges(Duration.ofSeconds(30));
            assertThat(service.provisioner().agents(TestService.ACCOUNT, "pool-1")).hasSize(1);

            // Deleting: its agents stop and its directories go.
            Path poolNodes = service.nodesRoot().resolve(TestService.ACCOUNT).resolve("pool-1");
            assertThat(poolNodes).isDirectory();
            batch.pools().delete("pool-1");
            service.provisioner().awaitChanges(Duration.ofSeconds(30));
            assertThat(service.provisioner().agents(TestService.ACCOUNT, "pool-1")).isEmpty();
            assertThat(poolNodes).doesNotExist();
        }
    }

    @Test
    void agentsFinishEveryTaskThroughAFlakyService() throws Exception {
        // 20% of the node-agent calls fail: errors and resets that change nothing, and answers lost after the change
        // was made, registrations included (a retried registration names the node the lost one made: still 2 nodes).
        FaultRules faults = FaultRules.parse("""
                {"seed": 7, "rules": [
                  {"path": "/rebatch/node-agent/**", "probability": 0.05,
                   "fault": {"type": "drop-after-commit"}},
                  {"path": "/rebatch/node-agent/**", "probability": 0.06, "fault": {"type": "internal-error"}},
                  {"path": "/rebatch/node-agent/**", "probability": 0.05,
                   "fault": {"type": "server-busy", "retryAfterSeconds": 1}},
                  {"path": "/rebatch/node-agent/**", "probability": 0.05, "fault": {"type": "reset-before"}}
                ]}""".getBytes(StandardCharsets.UTF_8));
        try (LocalNodesService service = LocalNodesService.start(directory, FAST, faults)) {
            BatchClient batch = service.client();
            batch.pools().create(PoolSpec.of("flaky-pool", "standard_d2s_v3", 2));
            awaitSteady(batch, "flaky-pool", 2);
            batch.jobs().create(JobSpec.of("flaky-job", "flaky-pool"));
            batch.tasks().addTasks("flaky-job", fiftyTasks());

            assertThat(batch.tasks().waitForTasks("flaky-job",
                    WaitOptions.DEFAULTS.withDeadline(Duration.ofMinutes(4))).completed()).isEqualTo(50);

            assertFiftyTasksRanRight(batch, "flaky-job");
            assertThat(service.faults().counter().total()).as("faults were injected").isPositive();
            assertThat(nodes(batch, "flaky-pool")).hasSize(2);
        }
    }

    @Test
    void theTasksOfAnAgentThatDiesAreRequeuedAndRunByTheOther() throws Exception {
        try (LocalNodesService service = LocalNodesService.start(directory, FAST, FaultRules.none())) {
            BatchClient batch = service.client();
            batch.pools().create(PoolSpec.of("dies-pool", "standard_d2s_v3", 2));
            awaitSteady(batch, "dies-pool", 2);
            batch.jobs().create(JobSpec.of("dies-job", "dies-pool"));
            batch.tasks().create("dies-job", TaskSpec.of("a", "/bin/sh -c 'sleep 2; echo $AZ_BATCH_TASK_ID'"));
            batch.tasks().create("dies-job", TaskSpec.of("b", "/bin/sh -c 'sleep 2; echo $AZ_BATCH_TASK_ID'"));
            await("both run, one on each node", () -> List.of("a", "b").stream()
                    .allMatch(id -> batch.tasks().get("dies-job", id).state().toString().equalsIgnoreCase("running")));
            String victimNode = batch.tasks().get("dies-job", "a").nodeInfo().nodeId();
            NodeAgent victim = service.provisioner().agents(TestService.ACCOUNT, "dies-pool").stream()
                    .filter(agent -> agent.registration().orElseThrow().nodeId().equals(victimNode)).findFirst()
                    .orElseThrow();

            victim.close(); // as a crash: its loop stops, its process ends, nothing is reported

            assertThat(batch.tasks().waitForTasks("dies-job", WaitOptions.DEFAULTS.withDeadline(Duration.ofMinutes(1)))
                    .succeeded()).isEqualTo(2);
            CloudTask a = batch.tasks().get("dies-job", "a");
            assertThat(a.executionInfo().retryCount()).isZero();
            assertThat(a.executionInfo().requeueCount()).isEqualTo(1);
            assertThat(a.nodeInfo().nodeId()).isNotEqualTo(victimNode);
            CloudTask b = batch.tasks().get("dies-job", "b");
            assertThat(b.executionInfo().requeueCount()).isZero();
            assertThat(b.executionInfo().exitCode()).isZero();
        }
    }

    @Test
    void lowPriorityTargetsGetLocalNodesToo() throws Exception {
        try (LocalNodesService service = LocalNodesService.start(directory, ExecutionSettings.DEFAULTS,
                FaultRules.none())) {
            BatchClient batch = service.client();
            batch.pools().create(PoolSpec.of("spot-pool", "standard_d2s_v3", 1).withTargetLowPriorityNodes(1));
            awaitSteady(batch, "spot-pool", 2);

            // The same targets again: nothing to start, and the pool is steady at once.
            batch.pools().resize("spot-pool", PoolResize.of(1, 1));
            assertThat(batch.pools().get("spot-pool").allocationState()).isEqualTo(AllocationState.STEADY);
            service.provisioner().awaitChanges(Duration.ofSeconds(30));
            assertThat(service.provisioner().agents(TestService.ACCOUNT, "spot-pool")).hasSize(2);
        }
    }

    /** 50 tasks that print their id; every tenth, from the eighth on, then exits 3. */
    private static List<TaskSpec> fiftyTasks() {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String exit = i % 10 == 7 ? "3" : "0";
            tasks.add(TaskSpec.of(String.format("task-%02d", i),
                    "/bin/sh -c 'echo $AZ_BATCH_TASK_ID; exit " + exit + "'"));
        }
        return tasks;
    }

    private static void assertFiftyTasksRanRight(BatchClient batch, String jobId) {
        Map<String, CloudTask> tasks = batch.tasks().list(jobId).collect(Collectors.toMap(CloudTask::id, t -> t));
        assertThat(tasks).hasSize(50);
        tasks.forEach((id, task) -> {
            boolean fails = Integer.parseInt(id.substring(5)) % 10 == 7;
            assertThat(task.state().toString()).as(id).isEqualToIgnoringCase("completed");
            assertThat(task.executionInfo().exitCode()).as(id).isEqualTo(fails ? 3 : 0);
            assertThat(task.executionInfo().result()).as(id)
                    .isEqualTo(fails ? TaskExecutionResult.FAILURE : TaskExecutionResult.SUCCESS);
            assertThat(task.executionInfo().retryCount()).as(id).isZero();
        });
        TaskCounts counts = batch.jobs().taskCounts(jobId).taskCounts();
        assertThat(counts).isEqualTo(new TaskCounts(0, 0, 50, 45, 5));
    }

    private static List<ComputeNode> nodes(BatchClient batch, String poolId) {
        return batch.nodes().list(poolId, ListOptions.ALL, RequestOptions.DEFAULTS).toList();
    }

    private static void awaitSteady(BatchClient batch, String poolId, int nodes) throws InterruptedException {
        await("pool " + poolId + " steady at " + nodes + " node(s)", () -> {
            CloudPool pool = batch.pools().get(poolId);
            return pool.allocationState() == AllocationState.STEADY && pool.currentDedicatedNodes() == nodes
                    && nodes(batch, poolId).size() == nodes;
        });
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited 90 s in vain: " + what);
            }
            Thread.sleep(100);
        }
    }
}
