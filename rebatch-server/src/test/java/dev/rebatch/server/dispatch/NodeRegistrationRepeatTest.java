package dev.rebatch.server.dispatch;

import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createPool;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.faults.FaultRules;
import dev.rebatch.server.http.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registration that names its node (the agent chose its id and token) can be sent again: a repeat, after its answer
 * was lost or at the same time, answers the same node and makes no other; a registration naming that node with
 * another token or body is refused. Every test works in a pool of its own.
 */
class NodeRegistrationRepeatTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();

    @AfterEach
    void noFaults() {
        service.faults().clear();
    }

    private static FakeAgent agent() {
        return new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
    }

    /** A registration body naming a node of its own: a random node id and token, as an agent draws them. */
    static ObjectNode named(Integer taskSlots) {
        byte[] id = new byte[16];
        byte[] token = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(token);
        return FakeAgent.registrationBody(taskSlots, null)
                .put("nodeId", "tvmps_" + HexFormat.of().formatHex(id))
                .put("nodeToken", Base64.getUrlEncoder().withoutPadding().encodeToString(token));
    }

    private static JsonNode nodes(String poolId) {
        return get(http, "/pools/" + poolId + "/nodes").path("value");
    }

    @Test
    void aRepeatedRegistrationAnswersTheSameNodeAndMakesNoOther() {
        createPool(http, "again-pool", 4);
        ObjectNode body = named(2);
        FakeAgent agent = agent();

        HttpResponse<String> first = agent.registerRaw("again-pool", body);
        HttpResponse<String> repeat = agent.registerRaw("again-pool", body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(repeat.statusCode()).as("a repeat is answered as the first call was").isEqualTo(201);
        JsonNode answer = Json.readStored(first.body());
        assertThat(answer.path("nodeId").asText()).isEqualTo(body.path("nodeId").asText());
        assertThat(answer.path("nodeToken").asText()).isEqualTo(body.path("nodeToken").asText());
        assertThat(Json.readStored(repeat.body())).as("the same node, token, files key and slots").isEqualTo(answer);
        assertThat(nodes("again-pool")).singleElement()
                .satisfies(node -> assertThat(node.path("id").asText()).isEqualTo(agent.nodeId()));
        assertThat(get(http, "/pools/again-pool").path("currentDedicatedNodes").asInt()).isEqualTo(1);
        assertThat(agent.pollRaw(null, 0, agent.token()).statusCode()).as("the answer's token works").isEqualTo(200);
    }

    @Test
    void aRegistrationWhoseAnswerIsLostIsAnsweredWhenSentAgain() throws Exception {
        createPool(http, "lost-pool", 1);
        service.faults().replace(FaultRules.parse("""
                {"rules": [{"path": "/rebatch/node-agent/v1/pools/lost-pool/nodes", "everyNth": 1,
                            "fault": {"type": "drop-after-commit"}}]}""".getBytes(StandardCharsets.UTF_8)));
        ObjectNode body = named(null);
        FakeAgent agent = agent();

        assertThatThrownBy(() -> agent.registerRaw("lost-pool", body)).as("the answer is lost")
                .isInstanceOf(RuntimeException.class);
        assertThat(nodes("lost-pool")).as("but the node was made").hasSize(1);
        service.faults().clear();
        HttpResponse<String> retried = agent.registerRaw("lost-pool", body);

        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        assertThat(agent.nodeId()).isEqualTo(body.path("nodeId").asText());
        assertThat(nodes("lost-pool")).singleElement()
                .satisfies(node -> assertThat(node.path("id").asText()).isEqualTo(agent.nodeId()));
        assertThat(agent.pollRaw(null, 0, agent.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void aRepeatWithAnotherBodyIsNodeExistsAndChangesNothing() {
        createPool(http, "body-pool", 4);
        ObjectNode body = named(2);
        FakeAgent agent = agent();
        agent.registerRaw("body-pool", body);

        HttpResponse<String> otherSlots = agent().registerRaw("body-pool", body.deepCopy().put("taskSlots", 3));
        HttpResponse<String> otherHost = agent().registerRaw("body-pool", body.deepCopy().put("hostname", "elsewhere"));

        for (HttpResponse<String> refused : List.of(otherSlots, otherHost)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(Json.readStored(refused.body()).path("code").asText()).isEqualTo("NodeExists");
        }
        assertThat(nodes("body-pool")).hasSize(1);
        assertThat(agent.pollRaw(null, 0, agent.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void aRegistrationNamingAnotherAgentsNodeLearnsNothingOfIt() {
        createPool(http, "steal-pool", 1);
        ObjectNode body = named(null);
        FakeAgent owner = agent();
        JsonNode registered = Json.readStored(owner.registerRaw("steal-pool", body).body());
        ObjectNode sameNodeOtherToken = named(null).put("nodeId", owner.nodeId());

        HttpResponse<String> refused = agent().registerRaw("steal-pool", sameNodeOtherToken);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("NodeExists")
                .doesNotContain(registered.path("filesKey").asText(), owner.token(),
                        sameNodeOtherToken.path("nodeToken").asText());
        assertThat(owner.pollRaw(null, 0, sameNodeOtherToken.path("nodeToken").asText()).statusCode())
                .as("the other token was not taken").isEqualTo(403);
        assertThat(owner.pollRaw(null, 0, owner.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void repeatsAtTheSameTimeMakeOneNode() throws Exception {
        createPool(http, "race-pool", 1);
        ObjectNode body = named(null);
        int calls = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(calls);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(callers.submit(() -> {
                    go.await();
                    return agent().registerRaw("race-pool", body);
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                assertThat(Json.readStored(response.body()).path("nodeId").asText())
                        .isEqualTo(body.path("nodeId").asText());
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(nodes("race-pool")).hasSize(1);
        assertThat(get(http, "/pools/race-pool").path("currentDedicatedNodes").asInt()).isEqualTo(1);
    }

    @Test
    void aRegistrationThatNamesNoNodeMakesANewNodeEachTime() {
        createPool(http, "unnamed-pool", 1);
        ObjectNode body = FakeAgent.registrationBody(null, null);

        String first = Json.readStored(agent().registerRaw("unnamed-pool", body).body()).path("nodeId").asText();
        String second = Json.readStored(agent().registerRaw("unnamed-pool", body).body()).path("nodeId").asText();

        assertThat(first).isNotEqualTo(second);
        assertThat(nodes("unnamed-pool")).hasSize(2);
    }

    @Test
    void aNodeIdAndTokenOfTheWrongShapeAreRefused() {
        createPool(http, "shape-pool", 1);
        ObjectNode valid = named(null);
        String shortToken = "too-short-to-be-random";

        HttpResponse<String> idOnly = agent().registerRaw("shape-pool", valid.deepCopy().without("nodeToken"));
        HttpResponse<String> tokenOnly = agent().registerRaw("shape-pool", valid.deepCopy().without("nodeId"));
        HttpResponse<String> upperCase = agent().registerRaw("shape-pool",
                valid.deepCopy().put("nodeId", valid.path("nodeId").asText().toUpperCase()));
        HttpResponse<String> notBatchLike = agent().registerRaw("shape-pool", valid.deepCopy().put("nodeId", "my-node"));
        HttpResponse<String> weakToken = agent().registerRaw("shape-pool", valid.deepCopy().put("nodeToken", shortToken));

        assertThat(idOnly.body()).contains("MissingRequiredProperty", "nodeToken");
        assertThat(tokenOnly.body()).contains("MissingRequiredProperty", "nodeId");
        for (HttpResponse<String> refused : List.of(upperCase, notBatchLike, weakToken)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("InvalidPropertyValue");
        }
        assertThat(weakToken.body()).as("a token is never echoed").doesNotContain(shortToken);
        assertThat(idOnly.statusCode()).isEqualTo(400);
        assertThat(tokenOnly.statusCode()).isEqualTo(400);
        assertThat(nodes("shape-pool")).isEmpty();
    }
}
