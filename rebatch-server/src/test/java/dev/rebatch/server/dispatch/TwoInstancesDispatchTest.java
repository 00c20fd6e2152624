package dev.rebatch.server.dispatch;

import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.addTask;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createJob;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createPool;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.expect;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.store.BatchStores;
import dev.rebatch.server.store.PostgresTestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two service instances on one PostgreSQL database dispatch as one: agents on either instance share one queue and
 * never get the same task twice, a task added through one instance wakes an agent waiting on the other (NOTIFY),
 * and the two lease reapers together requeue an expired lease once.
 */
class TwoInstancesDispatchTest {

    static final ExecutionSettings TIMING = new ExecutionSettings(Duration.ofSeconds(2), Duration.ofSeconds(3),
            Duration.ofMillis(200));

    static PostgresTestDatabase database;
    static TestService first;
    static TestService second;

    @BeforeAll
    static void start() throws Exception {
        database = PostgresTestDatabase.create();
        first = instance();
        second = instance();
    }

    private static TestService instance() {
        return new TestService(BatchStores.open(database.url(), null), ServiceLimits.DEFAULTS, FaultInjector.off(),
                Clock.systemUTC(), TIMING);
    }

    @AfterAll
    static void stop() throws Exception {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static FakeAgent agentOn(TestService instance) {
        return new FakeAgent(instance.endpoint(), TestService.ACCOUNT, TestService.KEY);
    }

    @Test
    void agentsOnBothInstancesRunEveryTaskExactlyOnce() throws Exception {
        int tasks = 500;
        SignedHttp viaFirst = first.http();
        SignedHttp viaSecond = second.http();
        createPool(viaFirst, "shared-pool", 4);
        createJob(viaFirst, "shared-job", "shared-pool", "");
        List<FakeAgent> agents = List.of(agentOn(first), agentOn(first), agentOn(second), agentOn(second));
        agents.forEach(agent -> agent.register("shared-pool", null));
        Map<String, List<Long>> grants = new ConcurrentHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        List<String> refusals = new CopyOnWriteArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(agents.size() + 1);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (FakeAgent agent : agents) {
                running.add(workers.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (completed.get() < tasks && System.nanoTime() < deadline) {
                        agent.poll(null, 300);
                        for (FakeAgent.Held held : agent.held()) {
                            grants.computeIfAbsent(held.taskId(), id -> new CopyOnWriteArrayList<>()).add(held.epoch());
                            var answer = agent.complete(held.jobId(), held.taskId(), held.epoch(), 0);
                            if (answer.statusCode() == 204) {
                                completed.incrementAndGet();
                            } else {
                                refusals.add(held.taskId() + ": " + answer.body());
                                agent.forget(held.jobId(), held.taskId());
                            }
                        }
                    }
                    return null;
                }));
            }
            // Tasks arrive through both instances while the agents are already calling.
            for (int chunk = 0; chunk < tasks / 100; chunk++) {
                SignedHttp via = chunk % 2 == 0 ? viaFirst : viaSecond;
                StringBuilder body = new StringBuilder("{\"value\":[");
                for (int i = 0; i < 100; i++) {
                    body.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(chunk * 100 + i)
                            .append("\",\"commandLine\":\"/bin/true\"}");
                }
                expect(via.send("POST", "/jobs/shared-job/addtaskcollection", body.append("]}").toString()), 200);
            }
            for (Future<?> agent : running) {
                agent.get(180, TimeUnit.SECONDS);
            }
        } finally {
            workers.shutdownNow();
        }

        assertThat(refusals).isEmpty();
        assertThat(completed.get()).isEqualTo(tasks);
        assertThat(grants).hasSize(tasks);
        assertThat(grants.values()).as("each task granted once, under epoch 1")
                .allSatisfy(epochs -> assertThat(epochs).containsExactly(1L));
        JsonNode counts = get(second.http(), "/jobs/shared-job/taskcounts").path("taskCounts");
        assertThat(counts.path("completed").asInt()).isEqualTo(tasks);
        assertThat(counts.path("succeeded").asInt()).isEqualTo(tasks);
        assertThat(counts.path("active").asInt() + counts.path("running").asInt()).isZero();
    }

    @Test
    void aTaskAddedThroughOneInstanceWakesAnAgentWaitingOnTheOther() throws Exception {
        createPool(first.http(), "wake-pool", 1);
        createJob(first.http(), "wake-job", "wake-pool", "");
        FakeAgent waiting = agentOn(second);
        waiting.register("wake-pool", null);
        long waitMillis = TIMING.heartbeatInterval().toMillis();

        CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() -> waiting.poll(null, waitMillis));
        Thread.sleep(300);
        long added = System.nanoTime();
        addTask(first.http(), "wake-job", "t", "");
        JsonNode answer = poll.get(waitMillis * 3, TimeUnit.MILLISECONDS);

        assertThat(FakeAgent.leaseIds(answer)).containsExactly("wake-job/t");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - added)).as("woken by NOTIFY, not by its timeout")
                .isLessThan(waitMillis / 2);
    }

    @Test
    void twoReapersRequeueAnExpiredLeaseOnce() throws Exception {
        createPool(first.http(), "reap-pool", 1);
        createJob(first.http(), "reap-job", "reap-pool", "");
        addTask(first.http(), "reap-job", "t", "");
        FakeAgent silent = agentOn(first);
        silent.register("reap-pool", null);
        assertThat(FakeAgent.leaseIds(silent.poll(null, 0))).containsExactly("reap-job/t");

        JsonNode task = null;
        for (int i = 0; i < 100; i++) { // the lease lasts 3 s by the database clock
            task = get(second.http(), "/jobs/reap-job/tasks/t");
            if (task.path("state").asText().equals("active")) {
                break;
            }
            Thread.sleep(100);
        }
        Thread.sleep(3 * TIMING.reaperInterval().toMillis()); // both reapers have had their chance

        task = get(second.http(), "/jobs/reap-job/tasks/t");
        assertThat(task.path("state").asText()).isEqualTo("active");
        assertThat(task.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
        assertThat(get(first.http(), "/pools/reap-pool/nodes/" + silent.nodeId()).path("state").asText())
                .isEqualTo("unknown");
    }

    @Test
    void aRegistrationSentToBothInstancesAtOnceMakesOneNode() throws Exception {
        createPool(first.http(), "twice-pool", 1);
        com.fasterxml.jackson.databind.node.ObjectNode body = NodeRegistrationRepeatTest.named(null);
        int callsEach = 6;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2 * callsEach);
        try {
            List<Future<java.net.http.HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 2 * callsEach; i++) {
                TestService instance = i % 2 == 0 ? first : second;
                answers.add(callers.submit(() -> {
                    go.await();
                    return agentOn(instance).registerRaw("twice-pool", body);
                }));
            }
            go.countDown();
            for (Future<java.net.http.HttpResponse<String>> answer : answers) {
                java.net.http.HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(get(second.http(), "/pools/twice-pool/nodes").path("value")).singleElement()
                .satisfies(node -> assertThat(node.path("id").asText()).isEqualTo(body.path("nodeId").asText()));
    }
}
