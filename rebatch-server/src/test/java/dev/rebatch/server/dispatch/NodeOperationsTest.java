package dev.rebatch.server.dispatch;

import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.addTask;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createJob;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createPool;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.protocol.models.BatchErrorException;
import com.microsoft.azure.batch.protocol.models.ComputeNodeRebootOption;
import com.microsoft.azure.batch.protocol.models.ComputeNodeState;
import com.microsoft.azure.batch.protocol.models.DisableComputeNodeSchedulingOption;
import com.microsoft.azure.batch.protocol.models.SchedulingState;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Batch compute node operations on registered nodes, through the official Java SDK, seen by the node's agent. */
class NodeOperationsTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();
    static final BatchClient batch = service.officialClient();

    private static FakeAgent running(String name, int tasks) {
        createPool(http, name, 4);
        createJob(http, name + "-job", name, "");
        for (int i = 0; i < tasks; i++) {
            addTask(http, name + "-job", "t" + i, "");
        }
        FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
        agent.register(name, null);
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).hasSize(tasks);
        return agent;
    }

    @Test
    void disablingSchedulingWithRequeueRequeuesItsTasksAndGrantsNoMore() throws Exception {
        FakeAgent agent = running("dis-requeue", 2);

        batch.computeNodeOperations().disableComputeNodeScheduling("dis-requeue", agent.nodeId(),
                DisableComputeNodeSchedulingOption.REQUEUE);
        JsonNode answer = agent.poll(null, 0);

        assertThat(answer.path("cancellations")).hasSize(2)
                .allSatisfy(c -> assertThat(c.path("reason").asText()).isEqualTo("LeaseLost"));
        assertThat(answer.path("leases")).as("no grants while disabled").isEmpty();
        JsonNode task = get(http, "/jobs/dis-requeue-job/tasks/t0");
        assertThat(task.path("state").asText()).isEqualTo("active");
        assertThat(task.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
        var node = batch.computeNodeOperations().getComputeNode("dis-requeue", agent.nodeId());
        assertThat(node.schedulingState()).isEqualTo(SchedulingState.DISABLED);
        assertThat(node.state()).isEqualTo(ComputeNodeState.OFFLINE);
        // Without an option the 11.2 SDK fails before sending ("Body parameter value must not be null").
        assertThatThrownBy(() -> batch.computeNodeOperations().disableComputeNodeScheduling("dis-requeue",
                agent.nodeId(), DisableComputeNodeSchedulingOption.REQUEUE)).isInstanceOfSatisfying(BatchErrorException.class,
                e -> assertThat(e.body().code()).isEqualTo("NodeAlreadyInTargetSchedulingState"));

        batch.computeNodeOperations().enableComputeNodeScheduling("dis-requeue", agent.nodeId());
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).hasSize(2);
        assertThat(batch.computeNodeOperations().getComputeNode("dis-requeue", agent.nodeId()).state())
                .isEqualTo(ComputeNodeState.RUNNING);
    }

    @Test
    void disablingSchedulingWithTerminateCompletesItsTasks() throws Exception {
        FakeAgent agent = running("dis-terminate", 1);

        batch.computeNodeOperations().disableComputeNodeScheduling("dis-terminate", agent.nodeId(),
                DisableComputeNodeSchedulingOption.TERMINATE);

        assertThat(agent.poll(null, 0).path("cancellations").get(0).path("reason").asText())
                .isEqualTo("TerminateTask");
        assertThat(get(http, "/jobs/dis-terminate-job/tasks/t0").path("state").asText()).isEqualTo("completed");
    }

    @Test
    void disablingSchedulingWithTaskCompletionLetsItsTasksFinish() throws Exception {
        FakeAgent agent = running("dis-finish", 1);
        addTask(http, "dis-finish-job", "later", "");

        batch.computeNodeOperations().disableComputeNodeScheduling("dis-finish", agent.nodeId(),
                DisableComputeNodeSchedulingOption.TASK_COMPLETION);
        JsonNode answer = agent.poll(null, 0);

        assertThat(answer.path("renewed")).hasSize(1);
        assertThat(answer.path("leases")).isEmpty();
        assertThat(get(http, "/jobs/dis-finish-job/tasks/t0").path("state").asText()).isEqualTo("running");
    }

    @Test
    void aRebootRequeuesTheNodesTasksAndTheNodeComesBackIdle() throws Exception {
        FakeAgent agent = running("reboot", 2);

        batch.computeNodeOperations().rebootComputeNode("reboot", agent.nodeId(), ComputeNodeRebootOption.REQUEUE);
        assertThat(batch.computeNodeOperations().getComputeNode("reboot", agent.nodeId()).state())
                .isEqualTo(ComputeNodeState.REBOOTING);
        assertThatThrownBy(() -> batch.computeNodeOperations().rebootComputeNode("reboot", agent.nodeId(),
                ComputeNodeRebootOption.REQUEUE))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        e -> assertThat(e.body().code()).isEqualTo("NodeBeingRebooted"));
        JsonNode answer = agent.poll(null, 0);

        assertThat(answer.path("cancellations")).hasSize(2);
        assertThat(answer.path("reboot").asBoolean()).isTrue();
        assertThat(answer.path("leases")).as("nothing new in the reboot answer").isEmpty();
        assertThat(answer.path("node").path("state").asText()).isEqualTo("idle");
        assertThat(get(http, "/jobs/reboot-job/tasks/t1").path("executionInfo").path("requeueCount").asInt())
                .isEqualTo(1);
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).as("back at work").hasSize(2);
    }

    @Test
    void anUnknownNodeIsNodeNotFound() {
        createPool(http, "no-node", 1);

        assertThatThrownBy(() -> batch.computeNodeOperations().getComputeNode("no-node", "tvmps_none"))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        e -> assertThat(e.body().code()).isEqualTo("NodeNotFound"));
    }
}
