package dev.rebatch.cli.crash;

import static dev.rebatch.cli.crash.CrashJobs.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BatchClient;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.node.ComputeNodeState;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a node agent ({@code rebatch node} in a JVM of its own) while it runs tasks: the service hears nothing
 * more from it, its leases lapse after the default lease TTL (25 s, renewed by every lease call), the lease reaper
 * requeues its tasks within 30 s of the kill, and they complete on the other node, with their retryCount still 0
 * (a crash spends no retry) and requeueCount 1. The service ({@code rebatch server --no-local-nodes}, embedded
 * store) runs with its default timing, so this also checks the documented "requeued within 27 s". (The same lease
 * expiry on PostgreSQL, measured by the database's clock, is covered by {@link ServiceCrashTest}'s two-instance
 * test, whose killed instance's agents lose their leases the same way.)
 */
class NodeCrashTest {

    private static final int SLOTS = 4;
    /** Long enough that every task is still running when the kill comes, short enough to rerun quickly. */
    private static final String TASK_SECONDS = "5";

    @TempDir
    Path directory;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        ChildJvm.closeAll(children);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theTasksOfAKilledAgentAreRequeuedWithin30SecondsAndCompleteOnAnotherNode() throws Exception {
        Path runs = directory.resolve("runs.log");
        ChildJvm server = ChildJvm.server("server", directory, "--no-local-nodes",
                "--data", directory.resolve("data").toString());
        children.add(server);
        String endpoint = server.endpoint();
        BatchClient batch = CrashJobs.client(endpoint);
        batch.pools().create(PoolSpec.of("node-pool", "standard_d2s_v3", 0).withTaskSlotsPerNode(SLOTS));
        batch.jobs().create(JobSpec.of("node-job", "node-pool"));

        ChildJvm victim = ChildJvm.node("node-victim", directory, endpoint, "node-pool", SLOTS,
                directory.resolve("victim"));
        children.add(victim);
        ChildJvm survivor = ChildJvm.node("node-survivor", directory, endpoint, "node-pool", SLOTS,
                directory.resolve("survivor"));
        children.add(survivor);
        Supplier<String> logs = () -> server.tail() + victim.tail() + survivor.tail();
        String victimNode = victim.nodeId();
        String survivorNode = survivor.nodeId();

        // As many tasks as slots: each node runs SLOTS of them at once.
        Path slow = directory.resolve("slow");
        CrashJobs.touch(slow); // every run of these tasks is slow
        List<TaskSpec> tasks = CrashJobs.recordingTasks("n", 2 * SLOTS, runs, slow, TASK_SECONDS);
        batch.tasks().addTasks("node-job", tasks);
        Set<String> onVictim = new TreeSet<>();
        await("every task running, " + SLOTS + " on each node, each process started", Duration.ofSeconds(60), () -> {
            Map<String, CloudTask> now = CrashJobs.tasks(batch, "node-job");
            onVictim.clear();
            now.values().stream().filter(task -> task.nodeInfo() != null
                            && victimNode.equals(task.nodeInfo().nodeId()))
                    .forEach(task -> onVictim.add(task.id()));
            return CrashJobs.runsById(runs).size() == tasks.size() && onVictim.size() == SLOTS
                    && now.values().stream().allMatch(task -> "running".equalsIgnoreCase(String.valueOf(task.state())));
        }, logs);

        victim.kill9();
        java.time.Instant killed = java.time.Instant.now();

        // The victim's tasks go back to the queue when their leases lapse; the survivor is busy for TASK_SECONDS,
        // then runs them.
        await("the killed node's tasks requeued", Duration.ofSeconds(45), () -> {
            Map<String, CloudTask> now = CrashJobs.tasks(batch, "node-job");
            return onVictim.stream().allMatch(id -> now.get(id).executionInfo().requeueCount() >= 1);
        }, logs);

        assertThat(CrashJobs.awaitCompleted(batch, "node-job", Duration.ofSeconds(60), logs)).as("completed")
                .isEqualTo((long) tasks.size());
        Map<String, CloudTask> after = CrashJobs.tasks(batch, "node-job");
        Map<String, Integer> ranById = CrashJobs.runsById(runs);
        CrashJobs.assertAllSucceededOnce(after, tasks, ranById, logs);
        // The service stamps lastRequeueTime by this machine's clock too: the last of them is when all were requeued.
        double requeueSeconds = onVictim.stream().mapToDouble(id -> Duration.between(killed,
                after.get(id).executionInfo().lastRequeueTime()).toMillis() / 1e3).max().orElseThrow();
        System.out.printf("CRASH-SAFETY node kill -9 (embedded): %d tasks, %d on the killed node requeued %.1f s "
                        + "after the kill and completed on the other node; %d ran twice%n",
                tasks.size(), onVictim.size(), requeueSeconds, CrashJobs.duplicates(ranById).size());

        assertThat(requeueSeconds).as("requeued within 30 s of the kill").isLessThanOrEqualTo(30.0);
        after.forEach((id, task) -> {
            boolean requeued = onVictim.contains(id);
            assertThat(task.nodeInfo().nodeId()).as("%s completed on", id).isEqualTo(survivorNode);
            assertThat(task.executionInfo().requeueCount()).as("%s requeueCount", id).isEqualTo(requeued ? 1 : 0);
            assertThat(task.executionInfo().retryCount()).as("%s retryCount", id).isZero();
            // The killed node had started them (they are in the runs file), so they ran once there and once again.
            assertThat(ranById.get(id)).as("%s runs", id).isEqualTo(requeued ? 2 : 1);
        });
        // The node's state follows its next lease call, which an accepted completion wakes at once.
        Map<String, ComputeNodeState> states = new java.util.HashMap<>();
        await("the killed node unknown (silent), the other one idle", Duration.ofSeconds(15), () -> {
            states.clear();
            CrashJobs.nodes(batch, "node-pool").forEach(node -> states.put(node.id(), node.state()));
            return states.equals(Map.of(victimNode, ComputeNodeState.UNKNOWN, survivorNode, ComputeNodeState.IDLE));
        }, () -> states + "\n" + logs.get());
    }
}
