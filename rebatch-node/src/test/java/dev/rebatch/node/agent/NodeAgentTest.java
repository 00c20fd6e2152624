package dev.rebatch.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.ListOptions;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.WaitOptions;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.node.ComputeNodeRebootOption;
import dev.rebatch.model.node.ComputeNodeState;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskExecutionResult;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.node.files.FileTreeDeleter;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.server.TestService;
import dev.rebatch.server.dispatch.ExecutionSettings;
import dev.rebatch.server.faults.FaultRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The agent against the real service: it runs what it leases, reports it, and obeys the service. */
class NodeAgentTest {

    /** Short timing, so that lapsed leases and silent nodes show within seconds. */
    private static final ExecutionSettings FAST = new ExecutionSettings(Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofMillis(250));

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory(Clock.systemUTC(), FAST);

    @TempDir
    Path roots;

    private final BatchClient batch = client();
    private final List<NodeAgent> agents = new ArrayList<>();

    static BatchClient client() {
        return BatchClient.builder().endpoint(service.endpoint()).sharedKey(TestService.ACCOUNT, TestService.KEY)
                .retryPolicy(RetryPolicyProvider.exponentialRetry(Duration.ofMillis(100), 5))
                .attemptTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stopAgents() throws Exception {
        service.faults().clear();
        List<Thread> closing = agents.stream().map(agent -> Thread.ofVirtual().start(agent::close)).toList();
        for (Thread thread : closing) {
            thread.join();
        }
        FileTreeDeleter.deleteTree(roots);
    }

    /** A pool NAME-pool of one node with {@code slots} slots, a job NAME-job on it, and its agent NAME-node, joined. */
    private NodeAgent joinedAgentWithJob(String name, int slots) throws Exception {
        batch.pools().create(PoolSpec.of(name + "-pool", "standard_d2s_v3", 1).withTaskSlotsPerNode(slots));
        batch.jobs().create(JobSpec.of(name + "-job", name + "-pool"));
        NodeAgent agent = agent(name + "-pool", name + "-node", false);
        agent.registered().get(30, TimeUnit.SECONDS);
        return agent;
    }

    private NodeAgent agent(String poolId, String name, boolean reRegister) {
        NodeAgent agent = NodeAgent.builder(client(), poolId).root(roots.resolve(name)).hostname(name)
                .reRegister(reRegister).killGrace(Duration.ofSeconds(1)).build();
        agents.add(agent);
        return agent.start();
    }

    @Test
    void runsWhatItLeasesAndReportsHowEachAttemptEnded() throws Exception {
        batch.pools().create(PoolSpec.of("run-pool", "standard_d2s_v3", 1).withTaskSlotsPerNode(2));
        batch.jobs().create(JobSpec.of("run-job", "run-pool").withCommonEnvironmentSetting("GREETING", "hello"));
        NodeAgent agent = agent("run-pool", "run-node", false);
        NodeRegistration node = agent.registered().get(30, TimeUnit.SECONDS);
        assertThat(node.taskSlots()).isEqualTo(2);

        batch.tasks().create("run-job", TaskSpec.of("ok", "/bin/sh -c 'echo $GREETING from $AZ_BATCH_TASK_ID'"));
        batch.tasks().create("run-job", TaskSpec.of("fails", "/bin/sh -c 'exit 3'"));
        batch.tasks().create("run-job", TaskSpec.of("missing", "/no/such/program"));
        for (int i = 0; i < 6; i++) {
            batch.tasks().create("run-job", TaskSpec.of("more-" + i, "/bin/true"));
        }
        assertThat(batch.tasks().waitForTasks("run-job", WaitOptions.DEFAULTS.withDeadline(Duration.ofSeconds(60)))
                .completed()).isEqualTo(9);

        CloudTask ok = batch.tasks().get("run-job", "ok");
        assertThat(ok.executionInfo().result()).isEqualTo(TaskExecutionResult.SUCCESS);
        assertThat(ok.executionInfo().exitCode()).isZero();
        assertThat(ok.nodeInfo().nodeId()).isEqualTo(node.nodeId());
        assertThat(Files.readString(agent.root().resolve("workitems/run-job/job-1/ok/stdout.txt")))
                .isEqualTo("hello from ok\n");
        CloudTask fails = batch.tasks().get("run-job", "fails");
        assertThat(fails.executionInfo().result()).isEqualTo(TaskExecutionResult.FAILURE);
        assertThat(fails.executionInfo().exitCode()).isEqualTo(3);
        assertThat(fails.executionInfo().failureInfo().code()).isEqualTo("FailureExitCode");
        CloudTask missing = batch.tasks().get("run-job", "missing");
        assertThat(missing.executionInfo().exitCode()).isNull();
        assertThat(missing.executionInfo().failureInfo().code()).isEqualTo("CommandProgramNotFound");

        await("the node is idle again", () -> {
            ComputeNode listed = batch.nodes().get("run-pool", node.nodeId(), RequestOptions.DEFAULTS);
            return listed.state() == ComputeNodeState.IDLE && listed.totalTasksRun() == 9;
        });
        assertThat(agent.heldAttempts()).isEmpty();
    }

    @Test
    void aBusyNodeGetsItsNextTasksInTheAnswersToItsCompletions() throws Exception {
        NodeAgent agent = joinedAgentWithJob("busy", 1);
        // Counts the node's lease calls: a 1 ms latency fault on each of them.
        service.faults().replace(FaultRules.parse(("""
                {"rules": [{"path": "/rebatch/node-agent/v1/pools/busy-pool/nodes/*/leases", "everyNth": 1,
                            "fault": {"type": "latency", "latencyMillis": 1}}]}""").getBytes(StandardCharsets.UTF_8)));
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            tasks.add(TaskSpec.of("t" + i, "/bin/true"));
        }

        assertThat(batch.tasks().addTasks("busy-job", tasks).allAdded()).isTrue();
        assertThat(batch.tasks().waitForTasks("busy-job", WaitOptions.DEFAULTS.withDeadline(Duration.ofSeconds(60)))
                .succeeded()).isEqualTo(30);

        // One slot, 30 tasks one after another: each completion's answer carried the next task. A lease call per
        // task (as when every accepted completion woke the node's waiting lease call) would be 30 or more; what is
        // left is the call the add woke, the heartbeats (every 2 s here) and the one the empty queue woke at the end.
        assertThat(service.faults().counter().total()).isLessThan(15);
        assertThat(agent.heldAttempts()).isEmpty();
    }

    @Test
    void theServiceServesTheTaskFilesFromTheNode() throws Exception {
        batch.pools().create(PoolSpec.of("files-pool", "standard_d2s_v3", 1));
        batch.jobs().create(JobSpec.of("files-job", "files-pool"));
        NodeAgent agent = agent("files-pool", "files-node", false);
        assertThat(agent.registered().get(30, TimeUnit.SECONDS).filesKey()).isNotBlank();
        batch.tasks().create("files-job", TaskSpec.of("t", "/bin/sh -c 'echo out; echo err >&2; echo x > result.csv'"));
        batch.tasks().waitForTasks("files-job", WaitOptions.DEFAULTS.withDeadline(Duration.ofSeconds(60)));

        assertThat(new String(batch.files().read("files-job", "t", "stdout.txt", RequestOptions.DEFAULTS)))
                .isEqualTo("out\n");
        assertThat(new String(batch.files().read("files-job", "t", "wd/result.csv", RequestOptions.DEFAULTS)))
                .isEqualTo("x\n");
        assertThat(batch.files().list("files-job", "t", true, RequestOptions.DEFAULTS)
                .map(dev.rebatch.model.node.NodeFile::name).toList())
                .contains("stdout.txt", "stderr.txt", "wd", "wd/result.csv");
        batch.files().delete("files-job", "t", "wd/result.csv", RequestOptions.DEFAULTS);
        assertThat(agent.root().resolve("workitems/files-job/job-1/t/wd/result.csv")).doesNotExist();
    }

    @Test
    void aTerminatedTaskIsEndedOnTheNode() throws Exception {
        NodeAgent agent = joinedAgentWithJob("end", 1);
        batch.tasks().create("end-job", TaskSpec.of("long", "/bin/sh -c 'echo $$ > pid; exec sleep 60'"));
        Path pidFile = agent.root().resolve("workitems/end-job/job-1/long/wd/pid");
        await("the task runs", () -> Files.exists(pidFile) && !readQuietly(pidFile).isBlank());
        long pid = Long.parseLong(readQuietly(pidFile).strip());

        batch.tasks().terminate("end-job", "long");

        await("its process is gone", () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false);
        await("the agent holds nothing", () -> agent.heldAttempts().isEmpty());
        CloudTask ended = batch.tasks().get("end-job", "long");
        assertThat(ended.state().toString()).isEqualToIgnoringCase("completed");
    }

    @Test
    void aTaskStillRunningAfterAMomentHasItsStartReported() throws Exception {
        NodeAgent agent = joinedAgentWithJob("start", 1);
        batch.tasks().create("start-job", TaskSpec.of("long", "/bin/sh -c 'date +%s%N > started; exec sleep 30'"));
        Path startedFile = agent.root().resolve("workitems/start-job/job-1/long/wd/started");
        await("the task runs", () -> readQuietly(startedFile).endsWith("\n"));
        long nanos = Long.parseLong(readQuietly(startedFile).strip());
        Instant processStarted = Instant.ofEpochSecond(0, nanos);

        // The grant set startTime before the process started; the start report, 100-150 ms into the run, moves it.
        await("startTime moves past the process's start while the task runs", () -> {
            CloudTask task = batch.tasks().get("start-job", "long");
            return task.state().toString().equalsIgnoreCase("running")
                    && task.executionInfo().startTime().isAfter(processStarted.plusMillis(50));
        });
        batch.tasks().terminate("start-job", "long");
        await("the agent holds nothing", () -> agent.heldAttempts().isEmpty());
    }

    @Test
    void aRebootedNodeDropsItsAttemptsAndGoesOn() throws Exception {
        batch.pools().create(PoolSpec.of("boot-pool", "standard_d2s_v3", 1));
        batch.jobs().create(JobSpec.of("boot-job", "boot-pool"));
        NodeAgent agent = agent("boot-pool", "boot-node", false);
        NodeRegistration node = agent.registered().get(30, TimeUnit.SECONDS);
        // The first attempt waits; the attempt after the reboot finds its marker in wd/ (kept on the same node).
        batch.tasks().create("boot-job", TaskSpec.of("t",
                "/bin/sh -c 'if [ -f ran ]; then exit 0; fi; touch ran; exec sleep 60'"));
        await("the first attempt runs",
                () -> Files.exists(agent.root().resolve("workitems/boot-job/job-1/t/wd/ran")));

        batch.nodes().reboot("boot-pool", node.nodeId(), ComputeNodeRebootOption.REQUEUE, RequestOptions.DEFAULTS);

        assertThat(batch.tasks().waitForTasks("boot-job", WaitOptions.DEFAULTS.withDeadline(Duration.ofSeconds(60)))
                .succeeded()).isEqualTo(1);
        CloudTask task = batch.tasks().get("boot-job", "t");
        assertThat(task.executionInfo().requeueCount()).isEqualTo(1);
        assertThat(task.executionInfo().retryCount()).isZero();
        assertThat(agent.registration()).hasValueSatisfying(now -> assertThat(now.nodeId()).isEqualTo(node.nodeId()));
    }

    @Test
    void aNewAttemptWaitsUntilTheEarlierProcessOfItsTaskIsGone() throws Exception {
        // Two slots: the dying first process holds one, so the task can come back while it still runs.
        NodeAgent agent = joinedAgentWithJob("wait", 2);
        NodeRegistration node = agent.registration().orElseThrow();
        // The first attempt ignores SIGTERM, so it lives through the kill grace (1 s) after the reboot drops it; the
        // task comes back to this node at once. The second attempt fails (7) if the first process still exists.
        batch.tasks().create("wait-job", TaskSpec.of("t", "/bin/sh -c '"
                + "if [ -f ran ]; then kill -0 $(cat pid) 2>/dev/null && exit 7; exit 0; fi; "
                + "echo $$ > pid; touch ran; trap \"\" TERM; while true; do sleep 0.1; done'"));
        await("the first attempt runs",
                () -> readQuietly(agent.root().resolve("workitems/wait-job/job-1/t/wd/pid")).endsWith("\n"));

        batch.nodes().reboot("wait-pool", node.nodeId(), ComputeNodeRebootOption.REQUEUE, RequestOptions.DEFAULTS);

        assertThat(batch.tasks().waitForTasks("wait-job", WaitOptions.DEFAULTS.withDeadline(Duration.ofSeconds(60)))
                .completed()).isEqualTo(1);
        CloudTask task = batch.tasks().get("wait-job", "t");
        assertThat(task.executionInfo().requeueCount()).isEqualTo(1);
        assertThat(task.executionInfo().exitCode()).as("exit code of the second attempt").isZero();
    }

    @Test
    void aNodeWhosePoolIsDeletedStopsOrJoinsAgain() throws Exception {
        batch.pools().create(PoolSpec.of("gone-pool", "standard_d2s_v3", 2));
        NodeAgent stopping = agent("gone-pool", "stops", false);
        NodeAgent rejoining = agent("gone-pool", "rejoins", true);
        stopping.registered().get(30, TimeUnit.SECONDS);
        String before = rejoining.registered().get(30, TimeUnit.SECONDS).nodeId();

        batch.pools().delete("gone-pool");
        stopping.stopped().get(30, TimeUnit.SECONDS);
        await("the pool is gone", () -> !batch.pools().exists("gone-pool", RequestOptions.DEFAULTS));
        batch.pools().create(PoolSpec.of("gone-pool", "standard_d2s_v3", 1));

        await("the other joined the new pool", () -> rejoining.registration().map(NodeRegistration::nodeId)
                .filter(id -> !id.equals(before)).isPresent());
        assertThat(batch.nodes().list("gone-pool", ListOptions.ALL, RequestOptions.DEFAULTS).toList())
                .extracting(ComputeNode::id).containsExactly(rejoining.registration().orElseThrow().nodeId());
    }

    @Test
    void joiningAPoolThatDoesNotExistFails() {
        NodeAgent agent = agent("no-such-pool", "lost", false);
        assertThatThrownBy(() -> agent.registered().join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(BatchServiceException.class,
                        refused -> assertThat(refused.errorCode()).isEqualTo("PoolNotFound"));
        assertThat(agent.stopped()).succeedsWithin(Duration.ofSeconds(30));
    }

    @Test
    void aNodeThatLeavesIsGoneAndItsTaskRequeued() throws Exception {
        batch.pools().create(PoolSpec.of("leave-pool", "standard_d2s_v3", 1));
        batch.jobs().create(JobSpec.of("leave-job", "leave-pool"));
        NodeAgent agent = agent("leave-pool", "leaves", false);
        agent.registered().get(30, TimeUnit.SECONDS);
        batch.tasks().create("leave-job", TaskSpec.of("t", "/bin/sh -c 'touch started; exec sleep 60'"));
        await("the task runs", () -> Files.exists(agent.root().resolve("workitems/leave-job/job-1/t/wd/started")));

        agent.leave();

        assertThat(batch.nodes().list("leave-pool", ListOptions.ALL, RequestOptions.DEFAULTS).toList()).isEmpty();
        CloudTask task = batch.tasks().get("leave-job", "t");
        assertThat(task.state().toString()).isEqualToIgnoringCase("active");
        assertThat(task.executionInfo().requeueCount()).isEqualTo(1);
    }

    @Test
    void aNodeLeftBehindByAnEarlierRunLeavesBeforeTheNextRunJoins() throws Exception {
        batch.pools().create(PoolSpec.of("again-pool", "standard_d2s_v3", 1));
        Path file = roots.resolve("again/node.json");
        NodeAgent first = NodeAgent.builder(client(), "again-pool").root(roots.resolve("again")).hostname("again")
                .registrationFile(file).build().start();
        agents.add(first);
        String left = first.registered().get(30, TimeUnit.SECONDS).nodeId();
        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        first.close(); // as a crash would: the node stays in the pool

        NodeAgent second = NodeAgent.builder(client(), "again-pool").root(roots.resolve("again")).hostname("again")
                .registrationFile(file).build().start();
        agents.add(second);
        String joined = second.registered().get(30, TimeUnit.SECONDS).nodeId();

        assertThat(joined).isNotEqualTo(left);
        assertThat(batch.nodes().list("again-pool", ListOptions.ALL, RequestOptions.DEFAULTS).toList())
                .extracting(ComputeNode::id).containsExactly(joined);
        second.leave();
        assertThat(file).doesNotExist();
    }

    @Test
    void aRegistrationWhoseAnswersAreLostMakesOneNodeThatRunsTasks() throws Exception {
        batch.pools().create(PoolSpec.of("lost-pool", "standard_d2s_v3", 1));
        batch.jobs().create(JobSpec.of("lost-job", "lost-pool"));
        Path file = roots.resolve("lost/node.json");
        // Every answer to a registration in this pool is lost, after the service made the node, until the test ends it.
        service.faults().replace(FaultRules.parse("""
                {"rules": [{"path": "/rebatch/node-agent/v1/pools/lost-pool/nodes", "everyNth": 1,
                            "fault": {"type": "drop-after-commit"}}]}""".getBytes(StandardCharsets.UTF_8)));
        NodeAgent agent = NodeAgent.builder(client(), "lost-pool").root(roots.resolve("lost")).hostname("lost")
                .registrationFile(file).build().start();
        agents.add(agent);
        await("two answers were lost", () -> service.faults().counter().total() >= 2);

        String named = new RegistrationFile(file).read().orElseThrow().nodeId();
        assertThat(agent.registered()).as("no answer came").isNotDone();
        assertThat(nodeIds("lost-pool")).as("the file names the node before its answer").containsExactly(named);
        service.faults().clear();

        assertThat(agent.registered().get(30, TimeUnit.SECONDS).nodeId()).isEqualTo(named);
        assertThat(nodeIds("lost-pool")).as("one node, however many tries").containsExactly(named);
        batch.tasks().create("lost-job", TaskSpec.of("t", "/bin/true"));
        assertThat(batch.tasks().waitForTasks("lost-job", WaitOptions.DEFAULTS.withDeadline(Duration.ofSeconds(60)))
                .succeeded()).isEqualTo(1);
        assertThat(batch.tasks().get("lost-job", "t").nodeInfo().nodeId()).isEqualTo(named);
    }

    private List<String> nodeIds(String poolId) {
        return batch.nodes().list(poolId, ListOptions.ALL, RequestOptions.DEFAULTS).map(ComputeNode::id).toList();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited 60 s in vain: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
