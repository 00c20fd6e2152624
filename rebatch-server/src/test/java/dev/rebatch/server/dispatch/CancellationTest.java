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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ending a running task through the Batch API (terminate or delete the task, terminate or delete its job) reaches the
 * node running it as a cancellation on its lease call, which is woken for it: the node hears within milliseconds,
 * not at the end of its wait. The task ends as the API operation says, whatever the node reports afterwards.
 */
class CancellationTest {

    private static final long WAIT_MILLIS = 8_000;

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();

    /** A pool, a job, one task running on a fresh agent; returns the agent. */
    private static FakeAgent running(String name) {
        createPool(http, name + "-pool", 1);
        createJob(http, name + "-job", name + "-pool", "");
        addTask(http, name + "-job", "t", "");
        FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
        agent.register(name + "-pool", null);
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).containsExactly(name + "-job/t");
        return agent;
    }

    /** Starts a waiting lease call, runs {@code action} while it waits, and returns the call's answer. */
    private static JsonNode whileWaiting(FakeAgent agent, Runnable action) throws Exception {
        CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() -> agent.poll(null, WAIT_MILLIS));
        Thread.sleep(300);
        long acted = System.nanoTime();
        action.run();
        JsonNode answer = poll.get(WAIT_MILLIS * 2, TimeUnit.MILLISECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acted)).as("woken, not timed out")
                .isLessThan(WAIT_MILLIS / 4);
        return answer;
    }

    private static String reason(JsonNode answer) {
        assertThat(answer.path("cancellations")).hasSize(1);
        return answer.path("cancellations").get(0).path("reason").asText();
    }

    @Test
    void terminatingARunningTaskCancelsItsAttempt() throws Exception {
        FakeAgent agent = running("term-task");

        JsonNode answer = whileWaiting(agent, () -> expect(http.send("POST", "/jobs/term-task-job/tasks/t/terminate",
                null), 204));

        assertThat(reason(answer)).isEqualTo("TerminateTask");
        assertThat(get(http, "/jobs/term-task-job/tasks/t").path("state").asText()).isEqualTo("completed");
        assertThat(answer.path("node").path("state").asText()).isEqualTo("idle");
        assertThat(get(http, "/pools/term-task-pool/nodes/" + agent.nodeId()).path("runningTasksCount").asInt())
                .isZero();
    }

    @Test
    void terminatingTheJobCancelsItsRunningTasks() throws Exception {
        FakeAgent agent = running("term-job");

        JsonNode answer = whileWaiting(agent, () -> expect(http.send("POST", "/jobs/term-job-job/terminate",
                "{\"terminateReason\":\"enough\"}"), 202));

        assertThat(reason(answer)).isEqualTo("TerminateJob");
        assertThat(get(http, "/jobs/term-job-job/tasks/t").path("state").asText()).isEqualTo("completed");
        assertThat(get(http, "/jobs/term-job-job").path("state").asText()).isEqualTo("completed");
    }

    @Test
    void deletingTheJobCancelsItsRunningTasks() throws Exception {
        FakeAgent agent = running("del-job");

        JsonNode answer = whileWaiting(agent, () -> expect(http.send("DELETE", "/jobs/del-job-job", null), 202));

        assertThat(reason(answer)).isEqualTo("DeleteJob");
    }

    @Test
    void deletingARunningTaskCancelsItsAttempt() throws Exception {
        FakeAgent agent = running("del-task");

        JsonNode answer = whileWaiting(agent, () -> expect(http.send("DELETE", "/jobs/del-task-job/tasks/t", null),
                200));

        assertThat(reason(answer)).isEqualTo("DeleteTask");
    }

    @Test
    void aReportAfterTheTaskWasTerminatedIsRefused() {
        FakeAgent agent = running("late");
        long epoch = agent.held().getFirst().epoch();
        expect(http.send("POST", "/jobs/late-job/tasks/t/terminate", null), 204);

        var late = agent.complete("late-job", "t", epoch, 0);

        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("LeaseNotHeld");
        JsonNode task = get(http, "/jobs/late-job/tasks/t");
        assertThat(task.path("state").asText()).isEqualTo("completed");
        assertThat(task.path("executionInfo").path("result").asText()).as("the terminate stands").isEqualTo("failure");
        assertThat(task.path("executionInfo").path("failureInfo").path("code").asText()).isEqualTo("TaskEnded");
    }

    @Test
    void disablingTheJobWithRequeueRequeuesItsRunningTasksUntilItIsEnabled() throws Exception {
        FakeAgent agent = running("dis-job");

        JsonNode answer = whileWaiting(agent, () -> expect(http.send("POST", "/jobs/dis-job-job/disable",
                "{\"disableTasks\":\"requeue\"}"), 202));

        assertThat(reason(answer)).isEqualTo("DisableJob");
        JsonNode task = get(http, "/jobs/dis-job-job/tasks/t");
        assertThat(task.path("state").asText()).isEqualTo("active");
        assertThat(task.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).as("a disabled job's tasks wait").isEmpty();

        JsonNode enabled = whileWaiting(agent, () -> expect(http.send("POST", "/jobs/dis-job-job/enable", null), 202));
        assertThat(FakeAgent.leaseIds(enabled)).containsExactly("dis-job-job/t");
        assertThat(enabled.path("leases").get(0).path("epoch").asLong()).isEqualTo(2);
    }

    @Test
    void disablingTheJobWithWaitLetsItsRunningTasksFinish() {
        FakeAgent agent = running("dis-wait");

        expect(http.send("POST", "/jobs/dis-wait-job/disable", "{\"disableTasks\":\"wait\"}"), 202);

        assertThat(agent.poll(null, 0).path("renewed")).hasSize(1);
        FakeAgent.Held held = agent.held().getFirst();
        expect(agent.complete("dis-wait-job", "t", held.epoch(), 0), 204);
        assertThat(get(http, "/jobs/dis-wait-job/tasks/t").path("executionInfo").path("result").asText())
                .isEqualTo("success");
    }
}
