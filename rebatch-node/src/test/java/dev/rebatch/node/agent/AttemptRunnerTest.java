package dev.rebatch.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.client.BatchClient;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.model.agent.HeldAttempt;
import dev.rebatch.model.agent.Lease;
import dev.rebatch.model.agent.LeaseJob;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.node.NodeContext;
import dev.rebatch.node.exec.CancelReason;
import dev.rebatch.node.exec.ProcessSpawner;
import dev.rebatch.node.exec.SpawnRequest;
import dev.rebatch.node.exec.SpawnedProcess;
import dev.rebatch.node.exec.TaskLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner lists a grant at once, on the thread that received it, and launches it on its launcher thread: the
 * thread that received the grant (the completion sender's, the lease loop's) goes on to its next call while the
 * launches are made. No process is started here: the spawner records what it is asked to start and holds it. (A
 * runner that launched on the granting thread would hold the test's thread in the spawner: the timeout fails it.)
 */
@Timeout(60)
class AttemptRunnerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final NodeRegistration NODE = new NodeRegistration("node-1", "token", "pool-1",
            "http://127.0.0.1:1/node-1", 4, 4, 30_000, 60_000, null);

    @TempDir
    Path root;

    private final StopSignal stop = new StopSignal();
    private final Attempts attempts = new Attempts();
    private final HeldSpawner spawner = new HeldSpawner();
    private ScheduledExecutorService scheduler;
    private CompletionSender completions;
    private AttemptRunner runner;
    private TaskLauncher launcher;

    @BeforeEach
    void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        // Nothing here reports a completion to a service: no process of these tests ends before the agent stops.
        BatchClient client = BatchClient.builder().endpoint("http://127.0.0.1:1").sharedKey("account", "a2V5")
                .build();
        completions = new CompletionSender(client, RequestOptions.DEFAULTS, stop::stopping, Duration.ofMillis(10),
                Duration.ofMillis(10), new Linger(Duration.ZERO, 100), () -> false);
        runner = new AttemptRunner(client, RequestOptions.DEFAULTS, attempts, completions, stop, Clock.systemUTC());
        launcher = TaskLauncher.builder(new NodeContext("account", "http://127.0.0.1:1", NODE.poolId(),
                NODE.nodeId(), root, true), scheduler).spawner(spawner).build();
    }

    @AfterEach
    void stopAgent() {
        stop.stop();
        attempts.dropAll(CancelReason.NODE_STOPPING);
        spawner.release();
        runner.stopLaunching(PATIENCE);
        spawner.endAll();
        completions.close();
        scheduler.shutdownNow();
    }

    @Test
    void aGrantIsListedAtOnceAndLaunchedInOrderOnTheLauncherThreadWithoutHoldingUpTheThreadThatGotIt()
            throws Exception {
        runner.grant(lease("t1"), NODE, launcher);
        assertThat(spawner.firstSpawnEntered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // t1's launch is held in the spawner; the next grants come back all the same, and take their slots.
        runner.grant(lease("t2"), NODE, launcher);
        runner.grant(lease("t3"), NODE, launcher);

        assertThat(attempts.listed()).containsExactlyInAnyOrder(attempt("t1"), attempt("t2"), attempt("t3"));
        assertThat(attempts.freeSlots(NODE)).isEqualTo(1);
        assertThat(spawner.started).containsExactly("t1");
        assertThat(spawner.threads).containsOnly("rebatch-launcher");

        spawner.release();
        awaitStarted(3);
        assertThat(spawner.started).containsExactly("t1", "t2", "t3");
        assertThat(spawner.threads).containsOnly("rebatch-launcher");
    }

    @Test
    void theSameGrantTwiceIsLaunchedOnce() throws Exception {
        spawner.release();
        runner.grant(lease("t1"), NODE, launcher);
        runner.grant(lease("t1"), NODE, launcher);
        runner.grant(lease("t2"), NODE, launcher);

        awaitStarted(2);
        assertThat(spawner.started).containsExactly("t1", "t2");
        assertThat(attempts.freeSlots(NODE)).isEqualTo(2);
    }

    @Test
    void stoppingDropsTheGrantsStillQueuedWithoutLaunchingThemAndForgetsThem() throws Exception {
        runner.grant(lease("t1"), NODE, launcher);
        assertThat(spawner.firstSpawnEntered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        runner.grant(lease("t2"), NODE, launcher);
        runner.grant(lease("t3"), NODE, launcher);

        stop.stop();
        attempts.dropAll(CancelReason.NODE_STOPPING);
        spawner.release();
        runner.stopLaunching(PATIENCE);

        assertThat(spawner.started).containsExactly("t1");
        assertThat(attempts.get(attempt("t2"))).isNull();
        assertThat(attempts.get(attempt("t3"))).isNull();
        // t1 was launched before the stop reached it: it holds its slot until its process is gone.
        assertThat(attempts.freeSlots(NODE)).isEqualTo(3);
        spawner.endAll();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (attempts.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(attempts.size()).isZero();
        assertThat(attempts.freeSlots(NODE)).isEqualTo(4);
    }

    private void awaitStarted(int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (spawner.started.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static HeldAttempt attempt(String taskId) {
        return new HeldAttempt("job-1", taskId, 1);
    }

    private static Lease lease(String taskId) {
        ObjectNode task = JsonNodeFactory.instance.objectNode().put("id", taskId).put("commandLine", "/bin/true");
        return new Lease("job-1", taskId, 1, task, new LeaseJob("job-1", List.of()));
    }

    /**
     * Records each process it is asked for (by its task id, and the thread that asked) and starts none: every spawn
     * waits until {@link #release}, then returns a "process" that runs until {@link #endAll}.
     */
    private static final class HeldSpawner implements ProcessSpawner {

        final List<String> started = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final CountDownLatch firstSpawnEntered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final List<CompletableFuture<Integer>> running = new CopyOnWriteArrayList<>();

        @Override
        public SpawnedProcess spawn(SpawnRequest request) {
            threads.add(Thread.currentThread().getName());
            started.add(request.environment().get("AZ_BATCH_TASK_ID"));
            firstSpawnEntered.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            CompletableFuture<Integer> exitCode = new CompletableFuture<>();
            running.add(exitCode);
            return new SpawnedProcess(100_000 + started.size(), Optional::empty, exitCode);
        }

        @Override
        public boolean refusesMissingPrograms() {
            return true;
        }

        @Override
        public String name() {
            return "held";
        }

        void release() {
            released.countDown();
        }

        void endAll() {
            running.forEach(exitCode -> exitCode.complete(0));
        }
    }
}
