package dev.rebatch.server.dispatch;

import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.addTask;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createJob;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createPool;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.expect;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.get;
import static dev.rebatch.server.dispatch.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases that run out, on the embedded store, whose lease clock is the service's: the test moves the service's clock
 * past the lease instead of waiting, and the reaper (every 50 ms here) requeues the task and marks the node unknown.
 */
class LeaseExpiryTest {

    static final MovableClock clock = new MovableClock();
    static final ExecutionSettings TIMING = new ExecutionSettings(Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofMillis(50));

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory(clock, TIMING);
    static final SignedHttp http = service.http();

    private static FakeAgent agent() {
        return new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
    }

    @Test
    void aTaskWhoseLeaseRanOutIsRequeuedAndItsOldAttemptFenced() throws Exception {
        createPool(http, "expiry-pool", 1);
        createJob(http, "expiry-job", "expiry-pool", "");
        addTask(http, "expiry-job", "t", "");
        FakeAgent silent = agent();
        silent.register("expiry-pool", null);
        long firstEpoch = silent.poll(null, 0).path("leases").get(0).path("epoch").asLong();

        clock.advance(TIMING.leaseTtl().plusSeconds(1));
        JsonNode requeued = eventually(() -> get(http, "/jobs/expiry-job/tasks/t"),
                task -> task.path("state").asText().equals("active"));

        assertThat(requeued.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
        assertThat(requeued.path("executionInfo").path("retryCount").asInt()).isZero();
        assertThat(requeued.path("executionInfo").has("lastRequeueTime")).isTrue();
        assertThat(requeued.path("previousState").asText()).isEqualTo("running");
        JsonNode counts = get(http, "/jobs/expiry-job/taskcounts").path("taskCounts");
        assertThat(counts.path("active").asInt()).isEqualTo(1);
        assertThat(counts.path("running").asInt()).isZero();
        eventually(() -> get(http, "/pools/expiry-pool/nodes/" + silent.nodeId()),
                node -> node.path("state").asText().equals("unknown"));

        FakeAgent other = agent();
        other.register("expiry-pool", null);
        long secondEpoch = other.poll(null, 0).path("leases").get(0).path("epoch").asLong();
        assertThat(secondEpoch).isEqualTo(firstEpoch + 1);

        HttpResponse<String> late = silent.complete("expiry-job", "t", firstEpoch, 0);
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("LeaseEpochStale");
        JsonNode back = silent.poll(null, 0);
        assertThat(back.path("cancellations")).singleElement()
                .satisfies(c -> assertThat(c.path("reason").asText()).isEqualTo("LeaseLost"));
        assertThat(back.path("node").path("state").asText()).as("it called again").isEqualTo("idle");
        expect(other.complete("expiry-job", "t", secondEpoch, 0), 204);
        JsonNode done = get(http, "/jobs/expiry-job/tasks/t");
        assertThat(done.path("state").asText()).isEqualTo("completed");
        assertThat(done.path("executionInfo").path("result").asText()).isEqualTo("success");
        assertThat(done.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
        JsonNode finalCounts = get(http, "/jobs/expiry-job/taskcounts").path("taskCounts");
        assertThat(finalCounts.path("completed").asInt()).isEqualTo(1);
        assertThat(finalCounts.path("succeeded").asInt()).isEqualTo(1);
        assertThat(finalCounts.path("active").asInt()).isZero();
    }

    @Test
    void aNodeThatKeepsCallingKeepsItsLease() throws Exception {
        createPool(http, "renew-pool", 1);
        createJob(http, "renew-job", "renew-pool", "");
        addTask(http, "renew-job", "t", "");
        FakeAgent agent = agent();
        agent.register("renew-pool", null);
        agent.poll(null, 0);

        for (int i = 0; i < 4; i++) {
            clock.advance(TIMING.leaseTtl().dividedBy(2));
            JsonNode answer = agent.poll(null, 0);
            assertThat(answer.path("renewed")).hasSize(1);
            Thread.sleep(150); // three reaper rounds
        }

        assertThat(get(http, "/jobs/renew-job/tasks/t").path("state").asText()).isEqualTo("running");
        assertThat(get(http, "/pools/renew-pool/nodes/" + agent.nodeId()).path("state").asText())
                .isEqualTo("running");
    }

    /**
     * A lease call renews the leases it lists when it arrives, not again when it answers after waiting: the agent
     * may have died while its call waited, and its tasks must still be requeued leaseTtl after its last call (a
     * dead agent's leases used to run up to a heartbeat interval longer).
     */
    @Test
    void aWaitingLeaseCallRenewsWhenItArrivesNotWhenItAnswers() throws Exception {
        createPool(http, "wait-pool", 1);
        createJob(http, "wait-job", "wait-pool", "");
        addTask(http, "wait-job", "t", "");
        FakeAgent agent = agent();
        agent.register("wait-pool", null);
        agent.poll(null, 0);
        ResourceKey key = new ResourceKey(TestService.ACCOUNT, ResourceKind.TASK, "wait-job", "t");
        Instant granted = service.store().findLeased(key).orElseThrow().lease().expiresAt();
        // Past half the lease: a call renews a lease only once that much of it is spent.
        clock.advance(TIMING.leaseTtl().dividedBy(2).plusSeconds(1));

        // A full node's call: nothing to grant, so it waits its whole waitMillis (the heartbeat, 2 s).
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> agent.poll(0, 2_000));
        Instant[] renewed = new Instant[1];
        eventually(() -> {
            renewed[0] = service.store().findLeased(key).orElseThrow().lease().expiresAt();
            return null;
        }, ignored -> renewed[0].isAfter(granted));
        clock.advance(Duration.ofSeconds(20)); // while the call waits
        JsonNode answer = waiting.get(10, TimeUnit.SECONDS);

        assertThat(answer.path("renewed")).as("it still holds the task").hasSize(1);
        assertThat(service.store().findLeased(key).orElseThrow().lease().expiresAt())
                .as("the lease runs leaseTtl from the call's arrival, not from its answer 20 s later")
                .isEqualTo(renewed[0]);
        // So the task is requeued leaseTtl after the call arrived, though the call answered 20 s later.
        clock.advance(Duration.ofSeconds(11));
        JsonNode requeued = eventually(() -> get(http, "/jobs/wait-job/tasks/t"),
                task -> task.path("state").asText().equals("active"));
        assertThat(requeued.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
    }
}
