package dev.rebatch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.errors.LeaseRefusedException;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.RecordedRequest;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.model.agent.AttemptCompleted;
import dev.rebatch.model.agent.AttemptStarted;
import dev.rebatch.model.agent.HeldAttempt;
import dev.rebatch.model.agent.LeaseAnswer;
import dev.rebatch.model.agent.LeaseRequest;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.model.agent.NodeRegistrationRequest;
import dev.rebatch.retry.classify.Category;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node-agent calls: paths, the node token, the lease call's attempt timeout, and the completion's echo. */
class NodeAgentCallsTest {

    private static final NodeRegistration NODE = new NodeRegistration("tvmps_1", "secret-token", "pool 1",
            "http://x/pools/pool%201/nodes/tvmps_1", 1, 1, 10_000, 40_000, null);

    private FakeBatch batch;

    @AfterEach
    void closeEndpoint() {
        batch.close();
    }

    @Test
    void registersWithoutATokenAndLeasesWithIt() {
        batch = FakeBatch.start().then(
                Step.ok(201, "{\"nodeId\":\"tvmps_1\",\"nodeToken\":\"secret-token\",\"poolId\":\"pool 1\","
                        + "\"taskSlots\":1,\"heartbeatIntervalMillis\":10000,\"leaseTtlMillis\":40000}"),
                Step.ok(200, "{\"node\":{\"state\":\"idle\",\"schedulingState\":\"enabled\"},\"reboot\":false,"
                        + "\"renewed\":[{\"jobId\":\"j\",\"taskId\":\"t\",\"epoch\":2}],\"cancellations\":[],"
                        + "\"leases\":[],\"heartbeatIntervalMillis\":10000,\"leaseTtlMillis\":40000}"));
        BatchClient client = batch.client();

        NodeRegistration registration = client.nodeAgent().register("pool 1",
                new NodeRegistrationRequest("host-1", "http://host-1:8071/files", 2, "0.1.0"), RequestOptions.DEFAULTS);
        LeaseAnswer answer = client.nodeAgent().lease(registration,
                new LeaseRequest(1, 0L, List.of(new HeldAttempt("j", "t", 2))), RequestOptions.DEFAULTS);

        assertThat(registration.nodeId()).isEqualTo("tvmps_1");
        assertThat(answer.renewed()).containsExactly(new HeldAttempt("j", "t", 2));
        RecordedRequest register = batch.requests().get(0);
        assertThat(register.describe()).isEqualTo("POST /rebatch/node-agent/v1/pools/pool%201/nodes");
        assertThat(register.header(NodeAgentOperations.NODE_TOKEN_HEADER)).isNull();
        assertThat(register.body()).contains("\"hostname\":\"host-1\"", "\"taskSlots\":2");
        RecordedRequest lease = batch.requests().get(1);
        assertThat(lease.describe()).isEqualTo("POST /rebatch/node-agent/v1/pools/pool%201/nodes/tvmps_1/leases");
        assertThat(lease.header(NodeAgentOperations.NODE_TOKEN_HEADER)).isEqualTo("secret-token");
        assertThat(lease.authorization()).startsWith("SharedKey " + FakeBatch.ACCOUNT + ":");
    }

    @Test
    void aRegistrationRetriedAfterItsAnswerWasLostNamesTheSameNodeAgain() {
        batch = FakeBatch.start().then(Step.dropAfterApplying(),
                Step.computed(request -> Step.ok(201, "{\"nodeId\":\"" + field(request.body(), "nodeId")
                        + "\",\"nodeToken\":\"" + field(request.body(), "nodeToken") + "\",\"poolId\":\"pool-1\","
                        + "\"taskSlots\":1,\"heartbeatIntervalMillis\":10000,\"leaseTtlMillis\":40000}")));

        NodeRegistration registration = batch.client().nodeAgent().register("pool-1",
                new NodeRegistrationRequest("host-1", null, null, "0.1.0"), RequestOptions.DEFAULTS);

        List<RecordedRequest> sent = batch.requests();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).body()).as("the retry names the node the lost attempt made").isEqualTo(sent.get(0).body());
        assertThat(field(sent.get(0).body(), "nodeId")).matches("tvmps_[0-9a-f]{32}");
        assertThat(field(sent.get(0).body(), "nodeToken")).matches("[A-Za-z0-9_-]{43}");
        assertThat(registration.nodeId()).isEqualTo(field(sent.get(0).body(), "nodeId"));
        assertThat(registration.nodeToken()).isEqualTo(field(sent.get(0).body(), "nodeToken"));
    }

    @Test
    void aRegistrationThatNamesItsNodeIsSentAsItIs() {
        batch = FakeBatch.start().then(Step.ok(201, "{\"nodeId\":\"tvmps_1\",\"nodeToken\":\"t\"}"));
        NodeRegistrationRequest named = new NodeRegistrationRequest("host-1", null, 2, null).withNewNode();

        batch.client().nodeAgent().register("pool-1", named, RequestOptions.DEFAULTS);

        assertThat(field(batch.requests().get(0).body(), "nodeId")).isEqualTo(named.nodeId());
        assertThat(field(batch.requests().get(0).body(), "nodeToken")).isEqualTo(named.nodeToken());
        assertThat(named.toString()).doesNotContain(named.nodeToken());
    }

    private static String field(String json, String name) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path(name).asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLeaseCallWaitsLongerThanTheClientsAttemptTimeout() {
        // The client's attempts time out after 50 ms; the call asks the service to wait up to 200 ms and is answered
        // after 100 ms. A lease call whose attempt timed out would be retried, and its grants lost.
        batch = FakeBatch.start().then(Step.computed(request -> {
            sleep(Duration.ofMillis(100));
            return Step.ok(200, "{\"node\":{\"state\":\"idle\"}}");
        }));
        BatchClient client = batch.client(handler -> handler.attemptTimeout(Duration.ofMillis(50)));

        LeaseAnswer answer = client.nodeAgent().lease(NODE, new LeaseRequest(1, 200L, List.of()),
                RequestOptions.DEFAULTS);

        assertThat(answer.node().state()).isEqualTo("idle");
        assertThat(batch.requests()).hasSize(1);
    }

    @Test
    void leaseNotHeldAfterALostCompletionAnswerIsTheEchoOfItsSuccess() {
        batch = FakeBatch.start().then(Step.dropAfterApplying(),
                Step.error(409, "LeaseNotHeld", "The node does not hold the task's lease."));

        batch.client().nodeAgent().completed(NODE, "j", "t", new AttemptCompleted(3, 0, null, null, null),
                RequestOptions.DEFAULTS);

        assertThat(batch.requests()).extracting(RecordedRequest::describe).containsOnly(
                "POST /rebatch/node-agent/v1/pools/pool%201/nodes/tvmps_1/leases/j/t/complete");
        FakeBatch.assertOneCall(batch.requests());
        assertThat(batch.events).extracting(event -> event.outcome().category())
                .containsExactly(Category.NETWORK_UNKNOWN, Category.CONFLICT);
    }

    @Test
    void leaseRefusalsWithoutAnEarlierUnknownOutcomeAreTyped() {
        batch = FakeBatch.start().then(
                Step.error(409, "LeaseNotHeld", "The node does not hold the task's lease."),
                Step.dropAfterApplying(),
                Step.error(409, "LeaseEpochStale", "The lease epoch is not the task's current one."),
                Step.error(409, "LeaseEpochStale", "The lease epoch is not the task's current one."));
        BatchClient client = batch.client();

        assertThatThrownBy(() -> client.nodeAgent().completed(NODE, "j", "t",
                new AttemptCompleted(3, 1, null, null, null), RequestOptions.DEFAULTS))
                .isInstanceOfSatisfying(LeaseRefusedException.class, refused -> {
                    assertThat(refused.errorCode()).isEqualTo("LeaseNotHeld");
                    assertThat(refused.superseded()).isFalse();
                    assertThat(refused.statusCode()).isEqualTo(409);
                });
        // Superseded is never an echo: the newer lease belongs to another attempt.
        assertThatThrownBy(() -> client.nodeAgent().completed(NODE, "j", "t",
                new AttemptCompleted(3, 1, null, null, null), RequestOptions.DEFAULTS))
                .isInstanceOfSatisfying(LeaseRefusedException.class,
                        refused -> assertThat(refused.superseded()).isTrue());
        assertThatThrownBy(() -> client.nodeAgent().started(NODE, "j", "t", new AttemptStarted(3),
                RequestOptions.DEFAULTS)).isInstanceOf(LeaseRefusedException.class);
    }

    @Test
    void aNodeThatIsGoneIsAServiceRefusalNotALeaseRefusal() {
        batch = FakeBatch.start().then(Step.error(404, "NodeNotFound", "The specified node does not exist."));

        assertThatThrownBy(() -> batch.client().nodeAgent().lease(NODE, new LeaseRequest(1, 0L, List.of()),
                RequestOptions.DEFAULTS))
                .isInstanceOfSatisfying(BatchServiceException.class, gone -> {
                    assertThat(gone).isNotInstanceOf(LeaseRefusedException.class);
                    assertThat(gone.errorCode()).isEqualTo("NodeNotFound");
                });
    }

    @Test
    void leavingTwiceAfterALostAnswerSucceeds() {
        batch = FakeBatch.start().then(Step.dropAfterApplying(),
                Step.error(404, "NodeNotFound", "The specified node does not exist."));

        batch.client().nodeAgent().leave(NODE, RequestOptions.DEFAULTS);

        assertThat(batch.requests()).extracting(RecordedRequest::describe).containsOnly(
                "POST /rebatch/node-agent/v1/pools/pool%201/nodes/tvmps_1/leave");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
