package dev.rebatch.cli.crash;

import static dev.rebatch.cli.crash.CrashJobs.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BatchClient;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.TaskCounts;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.server.store.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the service while thousands of tasks run, then a restart on the same store: every task still ends
 * completed with exit code 0, none is lost, and only the tasks in flight at the kill may have run twice.
 *
 * <p>The service is {@code rebatch server} in a JVM of its own, with its local node agents (2 nodes of 16 slots) in
 * the same process, as it runs by default; SIGKILL takes the agents down with it (their task processes, in sessions
 * of their own, are orphaned and finish by themselves). When the service starts again on the same store, its
 * {@code LocalNodeProvisioner} starts agents for the pool in the same directories; each finds the node it was in
 * {@code node.json} and makes that node leave first, which requeues the tasks it held at once (requeueCount + 1,
 * retryCount unchanged), so the test does not wait for leases to expire. A task counts as <em>in flight at the
 * kill</em> when it was requeued (requeueCount &ge; 1: the kill is the only thing that requeues in this test).
 */
class ServiceCrashTest {

    private static final int TASKS = 5_000;
    private static final int NODES = 2;
    private static final int SLOTS = 16;
    /** Completed before the kill: well into the job, with most of it still to run. */
    private static final int COMPLETED_BEFORE_KILL = 1_000;
    /**
     * How long a task sleeps once it recorded its run, while the test wants many in flight (from shortly before the
     * kill to just after it); otherwise tasks end at once, so that 5,000 of them run in about a minute.
     */
    private static final String SLOW_SECONDS = "1";

    @TempDir
    Path directory;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        ChildJvm.closeAll(children);
    }

    @Test
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killNineOfTheServiceOnTheEmbeddedStoreLosesNoTask() throws Exception {
        killTheServiceMidJobAndRestart("embedded", List.of());
    }

    @Test
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killNineOfTheServiceOnPostgresqlLosesNoTask() throws Exception {
        try (PostgresTestDatabase database = PostgresTestDatabase.create()) {
            try {
                killTheServiceMidJobAndRestart("PostgreSQL", List.of("--store", database.url()));
            } finally {
                ChildJvm.closeAll(children); // before the schema is dropped
            }
        }
    }

    private void killTheServiceMidJobAndRestart(String store, List<String> storeArgs) throws Exception {
        Path data = directory.resolve("data");
        Path runs = directory.resolve("runs.log");
        List<String> args = new ArrayList<>(List.of("--data", data.toString()));
        args.addAll(storeArgs);

        ChildJvm first = ChildJvm.server("server-1", directory, args.toArray(String[]::new));
        children.add(first);
        BatchClient batch = CrashJobs.client(first.endpoint());
        Supplier<String> firstLog = first::tail;
        batch.pools().create(PoolSpec.of("crash-pool", "standard_d2s_v3", NODES).withTaskSlotsPerNode(SLOTS));
        await("the pool's " + NODES + " local nodes", Duration.ofSeconds(60),
                () -> CrashJobs.nodes(batch, "crash-pool").size() == NODES, firstLog);
        batch.jobs().create(JobSpec.of("crash-job", "crash-pool"));
        Path slow = directory.resolve("slow");
        List<TaskSpec> tasks = CrashJobs.recordingTasks("t", TASKS, runs, slow, SLOW_SECONDS);
        long started = System.nanoTime();
        batch.tasks().addTasks("crash-job", tasks);

        // Kill once a good share has completed, while at least half the slots run (slow) tasks.
        await(COMPLETED_BEFORE_KILL + " tasks completed", Duration.ofMinutes(3),
                () -> batch.jobs().taskCounts("crash-job").taskCounts().completed() >= COMPLETED_BEFORE_KILL,
                firstLog);
        CrashJobs.touch(slow);
        TaskCounts[] atKill = new TaskCounts[1];
        await("half the slots running", Duration.ofMinutes(1), () -> {
            atKill[0] = batch.jobs().taskCounts("crash-job").taskCounts();
            return atKill[0].running() >= NODES * SLOTS / 2;
        }, firstLog);
        first.kill9();
        long killed = System.nanoTime();
        long runsAtKill = CrashJobs.runCount(runs);
        CrashJobs.delete(slow);

        ChildJvm second = ChildJvm.server("server-2", directory, args.toArray(String[]::new));
        children.add(second);
        BatchClient again = CrashJobs.client(second.endpoint());
        Supplier<String> logs = () -> first.tail() + second.tail();
        long completed = CrashJobs.awaitCompleted(again, "crash-job", Duration.ofMinutes(4), logs);
        long finished = System.nanoTime();
        assertThat(completed).as("completed after the restart").isEqualTo((long) TASKS);

        Map<String, CloudTask> after = CrashJobs.tasks(again, "crash-job");
        Map<String, Integer> ranById = CrashJobs.runsById(runs);
        CrashJobs.assertAllSucceededOnce(after, tasks, ranById, logs);

        Set<String> inFlight = after.values().stream().filter(task -> task.executionInfo().requeueCount() > 0)
                .map(CloudTask::id).collect(Collectors.toCollection(TreeSet::new));
        Map<String, Integer> twice = CrashJobs.duplicates(ranById);
        int extraRuns = twice.values().stream().mapToInt(count -> count - 1).sum();
        System.out.printf("CRASH-SAFETY service kill -9 (%s): %d tasks, %d ran twice (%d extra runs), %d in flight "
                        + "at the kill (requeued); killed after %.1f s with %d completed / %d running by the counts "
                        + "and %d runs recorded; restart to all completed %.1f s%n",
                store, TASKS, twice.size(), extraRuns, inFlight.size(), (killed - started) / 1e9,
                atKill[0].completed(), atKill[0].running(), runsAtKill, (finished - killed) / 1e9);

        assertThat(inFlight).as("the kill hit running tasks (they were requeued after the restart)").isNotEmpty();
        assertThat(inFlight.size()).as("tasks in flight at the kill cannot exceed the task slots")
                .isLessThanOrEqualTo(NODES * SLOTS);
        assertThat(twice.keySet()).as("tasks that ran twice must be among those in flight at the kill")
                .isSubsetOf(inFlight);
        assertThat(twice.values()).as("no task ran more than twice").allMatch(count -> count == 2);
        // The restarted agents made the nodes of the killed ones leave (node.json): none is left behind.
        List<ComputeNode> nodes = CrashJobs.nodes(again, "crash-pool");
        assertThat(nodes).as("the pool's nodes after the restart").hasSize(NODES);
    }

    /**
     * Two service instances ({@code rebatch server --no-local-nodes}) on one PostgreSQL database and three node agents
     * ({@code rebatch node}): two joined through instance A, one through instance B. Instance A is killed with
     * SIGKILL mid-job; every task still completes.
     *
     * <p>The agents of the killed instance are left as they are, still trying to reach it (an agent is given one
     * endpoint): they are not restarted against the survivor. Their lease calls stop arriving, so their leases lapse
     * (leaseTtl, 25 s by the database's clock), the survivor's lease reaper requeues their tasks, and the agent on
     * the survivor runs them. Every requeued task therefore completes on that agent's node, with retryCount 0; only
     * requeued tasks may have run twice, and at most as many as the killed side's slots.
     */
    @Test
    @Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void twoInstancesOnOnePostgresqlOneKilledMidJobEveryTaskCompletes() throws Exception {
        int tasksInJob = 400;
        int slots = 8;
        try (PostgresTestDatabase database = PostgresTestDatabase.create()) {
            try {
                Path runs = directory.resolve("runs.log");
                ChildJvm a = ChildJvm.server("instance-a", directory, "--no-local-nodes", "--store", database.url(),
                        "--data", directory.resolve("data-a").toString());
                children.add(a);
                ChildJvm b = ChildJvm.server("instance-b", directory, "--no-local-nodes", "--store", database.url(),
                        "--data", directory.resolve("data-b").toString());
                children.add(b);
                BatchClient batch = CrashJobs.client(b.endpoint());
                batch.pools().create(PoolSpec.of("shared-pool", "standard_d2s_v3", 0).withTaskSlotsPerNode(slots));
                batch.jobs().create(JobSpec.of("shared-job", "shared-pool"));
                List<ChildJvm> onA = new ArrayList<>();
                for (int n = 1; n <= 2; n++) {
                    ChildJvm agent = ChildJvm.node("agent-a" + n, directory, a.endpoint(), "shared-pool", slots,
                            directory.resolve("agent-a" + n));
                    children.add(agent);
                    onA.add(agent);
                }
                ChildJvm onB = ChildJvm.node("agent-b1", directory, b.endpoint(), "shared-pool", slots,
                        directory.resolve("agent-b1"));
                children.add(onB);
                Set<String> nodesOfA = onA.stream().map(ChildJvm::nodeId).collect(Collectors.toSet());
                String nodeOfB = onB.nodeId();
                Supplier<String> logs = () -> {
                    StringBuilder all = new StringBuilder();
                    children.forEach(child -> all.append(child.tail()));
                    return all.toString();
                };

                Path slow = directory.resolve("slow");
                List<TaskSpec> tasks = CrashJobs.recordingTasks("s", tasksInJob, runs, slow, SLOW_SECONDS);
                long started = System.nanoTime();
                batch.tasks().addTasks("shared-job", tasks);
                await("a quarter of the tasks run", Duration.ofMinutes(2),
                        () -> CrashJobs.runCount(runs) >= tasksInJob / 4, logs);
                CrashJobs.touch(slow);
                int[] runningOnA = new int[1];
                await("A's agents running slow tasks in half their slots", Duration.ofMinutes(1), () -> {
                    runningOnA[0] = (int) CrashJobs.running(batch, "shared-job").values().stream()
                            .filter(nodesOfA::contains).count();
                    return runningOnA[0] >= slots;
                }, logs);
                a.kill9();
                long killed = System.nanoTime();
                java.time.Instant killedAt = java.time.Instant.now();
                CrashJobs.delete(slow);

                long completed = CrashJobs.awaitCompleted(batch, "shared-job", Duration.ofMinutes(2), logs);
                long finished = System.nanoTime();
                assertThat(completed).as("completed").isEqualTo((long) tasksInJob);

                Map<String, CloudTask> after = CrashJobs.tasks(batch, "shared-job");
                Map<String, Integer> ranById = CrashJobs.runsById(runs);
                CrashJobs.assertAllSucceededOnce(after, tasks, ranById, logs);
                Set<String> requeued = after.values().stream()
                        .filter(task -> task.executionInfo().requeueCount() > 0).map(CloudTask::id)
                        .collect(Collectors.toCollection(TreeSet::new));
                Map<String, Integer> twice = CrashJobs.duplicates(ranById);
                // The service stamps lastRequeueTime by this machine's clock too.
                double[] requeueSeconds = requeued.stream().mapToDouble(id -> Duration.between(killedAt,
                        after.get(id).executionInfo().lastRequeueTime()).toMillis() / 1e3).sorted().toArray();
                System.out.printf("CRASH-SAFETY instance kill -9 (2 instances, 3 agents, PostgreSQL): %d tasks, "
                                + "%d ran twice, %d in flight on the killed instance's agents (requeued, %d seen "
                                + "running there just before the kill); requeued %.1f to %.1f s after the kill; killed "
                                + "after %.1f s, all completed %.1f s after the kill%n",
                        tasksInJob, twice.size(), requeued.size(), runningOnA[0],
                        requeueSeconds.length == 0 ? -1 : requeueSeconds[0],
                        requeueSeconds.length == 0 ? -1 : requeueSeconds[requeueSeconds.length - 1],
                        (killed - started) / 1e9, (finished - killed) / 1e9);

                assertThat(requeued).as("the kill left tasks on the killed instance's agents").isNotEmpty();
                assertThat(requeueSeconds[requeueSeconds.length - 1]).as("requeued within 30 s of the kill")
                        .isLessThanOrEqualTo(30.0);
                assertThat(requeued.size()).as("requeued tasks cannot exceed the killed side's slots")
                        .isLessThanOrEqualTo(onA.size() * slots);
                assertThat(requeued).as("requeued tasks completed on the survivor's agent")
                        .allMatch(id -> nodeOfB.equals(after.get(id).nodeInfo().nodeId()));
                assertThat(twice.keySet()).as("only requeued tasks may have run twice").isSubsetOf(requeued);
                assertThat(twice.values()).as("no task ran more than twice").allMatch(count -> count == 2);
                Map<String, String> states = new java.util.TreeMap<>();
                CrashJobs.nodes(batch, "shared-pool").forEach(node -> states.put(node.id(),
                        String.valueOf(node.state())));
                assertThat(nodesOfA).as("the killed instance's agents' nodes are unknown (silent): %s", states)
                        .allMatch(id -> "unknown".equalsIgnoreCase(states.get(id)));
            } finally {
                ChildJvm.closeAll(children); // before the schema is dropped
            }
        }
    }
}
