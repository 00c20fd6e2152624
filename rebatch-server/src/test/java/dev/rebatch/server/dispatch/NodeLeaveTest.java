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
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node leaves its pool: it is removed, the pool recounted, and the tasks it held requeued at once. */
class NodeLeaveTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();

    @Test
    void aNodeThatLeavesIsRemovedAndItsTasksGoBackToTheQueue() {
        createPool(http, "leave-pool", 1);
        createJob(http, "leave-job", "leave-pool", "");
        addTask(http, "leave-job", "t1", "");
        FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
        agent.register("leave-pool", null);
        assertThat(agent.poll(1, 0).path("leases")).hasSize(1);
        assertThat(get(http, "/pools/leave-pool").path("currentDedicatedNodes").asInt()).isEqualTo(1);

        expect(agent.leave(), 204);

        JsonNode task = get(http, "/jobs/leave-job/tasks/t1");
        assertThat(task.path("state").asText()).isEqualTo("active");
        assertThat(task.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
        assertThat(task.path("executionInfo").path("retryCount").asInt()).isZero();
        assertThat(get(http, "/pools/leave-pool/nodes").path("value")).isEmpty();
        assertThat(get(http, "/pools/leave-pool").path("currentDedicatedNodes").asInt()).isZero();

        // Gone: its calls hear NodeNotFound, so its agent stops (or registers again).
        HttpResponse<String> lease = expect(agent.pollRaw(1, 0, agent.token()), 404);
        assertThat(lease.body()).contains("NodeNotFound");
        assertThat(expect(agent.leave(), 404).body()).contains("NodeNotFound");

        // Another node runs the task under the next epoch.
        FakeAgent other = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
        other.register("leave-pool", null);
        JsonNode leases = other.poll(1, 0).path("leases");
        assertThat(leases).hasSize(1);
        assertThat(leases.get(0).path("epoch").asLong()).isEqualTo(2);
    }

    @Test
    void aLeaveTakesNoOptionsYet() {
        createPool(http, "leave-pool-2", 1);
        FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
        agent.register("leave-pool-2", null);
        HttpResponse<String> refused = http.call("POST", "/rebatch/node-agent/v1/pools/leave-pool-2/nodes/"
                + agent.nodeId() + "/leave").query("api-version", null).body("{\"nodeDeallocationOption\":\"x\"}")
                .header("Content-Type", "application/json").header("x-rebatch-node-token", agent.token()).send();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(get(http, "/pools/leave-pool-2/nodes").path("value")).hasSize(1);
    }
}
