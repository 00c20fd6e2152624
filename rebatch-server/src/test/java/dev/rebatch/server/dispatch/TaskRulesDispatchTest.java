package dev.rebatch.server.dispatch;

import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.addTask;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createJob;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createPool;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.expect;
import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.get;
import static dev.rebatch.server.dispatch.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.http.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The full task rules as a node agent meets them over HTTP ({@link FakeAgent}): retries up to maxTaskRetryCount,
 * exit conditions with their job and dependency actions, onAllTasksComplete, reactivation, and the task counts
 * through all of it. The service's clock is movable, so a lost lease is requeued without waiting.
 */
class TaskRulesDispatchTest {

    static final MovableClock clock = new MovableClock();
    static final ExecutionSettings TIMING = new ExecutionSettings(Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofMillis(50));

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory(clock, TIMING);
    static final SignedHttp http = service.http();

    private static FakeAgent agent(String poolId) {
        FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
        agent.register(poolId, null);
        return agent;
    }

    /** One grant of {@code jobId/taskId} to {@code agent}, started; returns its epoch. */
    private static long grantAndStart(FakeAgent agent, String jobId, String taskId) {
        JsonNode answer = agent.poll(null, 0);
        assertThat(FakeAgent.leaseIds(answer)).as("granted").containsExactly(jobId + "/" + taskId);
        long epoch = answer.path("leases").get(0).path("epoch").asLong();
        expect(agent.start(jobId, taskId, epoch), 204);
        return epoch;
    }

    private static JsonNode counts(String jobId) {
        return get(http, "/jobs/" + jobId + "/taskcounts").path("taskCounts");
    }

    private static void assertCounts(String jobId, int active, int running, int completed, int succeeded,
            int failed) {
        JsonNode counts = counts(jobId);
        assertThat(List.of(counts.path("active").asInt(), counts.path("running").asInt(),
                counts.path("completed").asInt(), counts.path("succeeded").asInt(), counts.path("failed").asInt()))
                .as("active, running, completed, succeeded, failed of " + jobId)
                .containsExactly(active, running, completed, succeeded, failed);
    }

    private static ObjectNode exit(int code) {
        return Json.MAPPER.createObjectNode().put("exitCode", code);
    }

    @Test
    void aFailingTaskIsRetriedUpToItsMaxTaskRetryCountThenCompletesAsAFailure() {
        createPool(http, "retry-pool", 1);
        createJob(http, "retry-job", "retry-pool", "");
        addTask(http, "retry-job", "t", ",\"constraints\":{\"maxTaskRetryCount\":2}");
        FakeAgent agent = agent("retry-pool");

        List<Long> epochs = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            long epoch = grantAndStart(agent, "retry-job", "t");
            epochs.add(epoch);
            assertCounts("retry-job", 0, 1, 0, 0, 0);
            JsonNode running = get(http, "/jobs/retry-job/tasks/t");
            assertThat(running.path("executionInfo").path("retryCount").asInt()).isEqualTo(attempt);
            if (attempt > 0) {
                assertThat(running.path("executionInfo").path("lastRetryTime").asText())
                        .as("the retry started").isEqualTo(running.path("executionInfo").path("startTime").asText());
            }
            expect(agent.complete("retry-job", "t", epoch, 3), 204);
            if (attempt < 2) {
                JsonNode retried = get(http, "/jobs/retry-job/tasks/t");
                assertThat(retried.path("state").asText()).isEqualTo("active");
                assertThat(retried.path("executionInfo").path("retryCount").asInt()).isEqualTo(attempt + 1);
                assertThat(retried.path("executionInfo").has("exitCode")).as("only a completed task shows it")
                        .isFalse();
                assertThat(retried.path("executionInfo").has("lastRetryTime")).isTrue();
                assertCounts("retry-job", 1, 0, 0, 0, 0);
            }
        }

        assertThat(epochs).containsExactly(1L, 2L, 3L);
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).as("no fourth attempt").isEmpty();
        JsonNode task = get(http, "/jobs/retry-job/tasks/t");
        assertThat(task.path("state").asText()).isEqualTo("completed");
        JsonNode execution = task.path("executionInfo");
        assertThat(execution.path("result").asText()).isEqualTo("failure");
        assertThat(execution.path("retryCount").asInt()).isEqualTo(2);
        assertThat(execution.path("exitCode").asInt()).isEqualTo(3);
        assertThat(execution.path("failureInfo").path("category").asText()).isEqualTo("usererror");
        assertThat(execution.path("failureInfo").path("code").asText()).isEqualTo("FailureExitCode");
        assertCounts("retry-job", 0, 0, 1, 0, 1);
        JsonNode node = get(http, "/pools/retry-pool/nodes/" + agent.nodeId());
        assertThat(node.path("totalTasksRun").asInt()).isEqualTo(3);
        assertThat(node.path("totalTasksSucceeded").asInt()).isZero();
    }

    @Test
    void aTaskWithoutItsOwnRetryCountTakesItsJobs() {
        createPool(http, "inherit-pool", 1);
        createJob(http, "inherit-job", "inherit-pool", ",\"constraints\":{\"maxTaskRetryCount\":1}");
        addTask(http, "inherit-job", "t", ",\"constraints\":{\"maxWallClockTime\":\"PT1H\"}");
        FakeAgent agent = agent("inherit-pool");

        expect(agent.complete("inherit-job", "t", grantAndStart(agent, "inherit-job", "t"), 1), 204);
        expect(agent.complete("inherit-job", "t", grantAndStart(agent, "inherit-job", "t"), 1), 204);

        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).isEmpty();
        JsonNode task = get(http, "/jobs/inherit-job/tasks/t");
        assertThat(task.path("state").asText()).isEqualTo("completed");
        assertThat(task.path("executionInfo").path("retryCount").asInt()).isEqualTo(1);
    }

    @Test
    void withoutALimitAFailingTaskNeverCompletes() {
        createPool(http, "forever-pool", 1);
        createJob(http, "forever-job", "forever-pool", "");
        addTask(http, "forever-job", "t", ",\"constraints\":{\"maxTaskRetryCount\":-1}");
        FakeAgent agent = agent("forever-pool");

        for (int attempt = 1; attempt <= 5; attempt++) {
            long epoch = grantAndStart(agent, "forever-job", "t");
            assertThat(epoch).isEqualTo(attempt);
            expect(agent.complete("forever-job", "t", epoch, 2), 204);
        }

        JsonNode task = get(http, "/jobs/forever-job/tasks/t");
        assertThat(task.path("state").asText()).isEqualTo("active");
        assertThat(task.path("executionInfo").path("retryCount").asInt()).isEqualTo(5);
        assertCounts("forever-job", 1, 0, 0, 0, 0);
    }

    @Test
    void aProgramThatCannotStartIsNotRetried() {
        createPool(http, "noprog-pool", 1);
        createJob(http, "noprog-job", "noprog-pool", "");
        addTask(http, "noprog-job", "t", ",\"constraints\":{\"maxTaskRetryCount\":3}");
        FakeAgent agent = agent("noprog-pool");
        long epoch = grantAndStart(agent, "noprog-job", "t");

        ObjectNode outcome = Json.MAPPER.createObjectNode();
        outcome.putObject("failureInfo").put("category", "usererror").put("code", "CommandProgramNotFound")
                .put("message", "The specified command program is not found.");
        expect(agent.complete("noprog-job", "t", epoch, outcome), 204);

        JsonNode task = get(http, "/jobs/noprog-job/tasks/t");
        assertThat(task.path("state").asText()).isEqualTo("completed");
        assertThat(task.path("executionInfo").path("retryCount").asInt()).isZero();
        assertThat(task.path("executionInfo").has("exitCode")).isFalse();
        assertThat(task.path("executionInfo").path("failureInfo").path("code").asText())
                .isEqualTo("CommandProgramNotFound");
        assertCounts("noprog-job", 0, 0, 1, 0, 1);
    }

    @Test
    void aFailureInfoWithAnUnknownCategoryIsRefused() {
        createPool(http, "badcat-pool", 1);
        createJob(http, "badcat-job", "badcat-pool", "");
        addTask(http, "badcat-job", "t", "");
        FakeAgent agent = agent("badcat-pool");
        long epoch = grantAndStart(agent, "badcat-job", "t");

        ObjectNode outcome = Json.MAPPER.createObjectNode();
        outcome.putObject("failureInfo").put("category", "oops");
        HttpResponse<String> refused = agent.complete("badcat-job", "t", epoch, outcome);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("InvalidPropertyValue");
        assertThat(get(http, "/jobs/badcat-job/tasks/t").path("state").asText()).isEqualTo("running");
    }

    @Test
    void anExitConditionsJobActionTerminatesTheJob() {
        createPool(http, "action-pool", 1);
        createJob(http, "action-job", "action-pool", ",\"onTaskFailure\":\"performexitoptionsjobaction\"");
        addTask(http, "action-job", "t", ",\"exitConditions\":{\"exitCodes\":[{\"code\":3,"
                + "\"exitOptions\":{\"jobAction\":\"terminate\"}}]}");
        addTask(http, "action-job", "other", "");
        FakeAgent agent = agent("action-pool");
        long epoch = grantAndStart(agent, "action-job", "t");

        expect(agent.complete("action-job", "t", epoch, 3), 204);

        JsonNode job = get(http, "/jobs/action-job");
        assertThat(job.path("state").asText()).isEqualTo("completed");
        assertThat(job.path("executionInfo").path("terminateReason").asText()).isEqualTo("TaskFailed");
        assertThat(get(http, "/jobs/action-job/tasks/other").path("state").asText())
                .as("the job's other tasks end with it").isEqualTo("completed");
    }

    @Test
    void withoutPerformExitOptionsJobActionAFailedTaskLeavesItsJobAlone() {
        createPool(http, "noaction-pool", 1);
        createJob(http, "noaction-job", "noaction-pool", "");
        addTask(http, "noaction-job", "t", "");
        FakeAgent agent = agent("noaction-pool");

        expect(agent.complete("noaction-job", "t", grantAndStart(agent, "noaction-job", "t"), 3), 204);

        assertThat(get(http, "/jobs/noaction-job").path("state").asText()).isEqualTo("active");
    }

    @Test
    void anExitConditionsJobActionDisableDisablesTheJob() {
        createPool(http, "disable-pool", 2);
        createJob(http, "disable-job", "disable-pool", ",\"onTaskFailure\":\"performexitoptionsjobaction\"");
        addTask(http, "disable-job", "t", ",\"exitConditions\":{\"default\":{\"jobAction\":\"disable\"}}");
        addTask(http, "disable-job", "u", "");
        FakeAgent agent = agent("disable-pool");
        JsonNode answer = agent.poll(null, 0);
        assertThat(FakeAgent.leaseIds(answer)).containsExactly("disable-job/t", "disable-job/u");
        long epoch = answer.path("leases").get(0).path("epoch").asLong();

        expect(agent.complete("disable-job", "t", epoch, 9), 204);

        assertThat(get(http, "/jobs/disable-job").path("state").asText()).isEqualTo("disabled");
        JsonNode requeued = get(http, "/jobs/disable-job/tasks/u");
        assertThat(requeued.path("state").asText()).as("disable requeues the running tasks").isEqualTo("active");
        assertThat(requeued.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
        assertThat(agent.poll(null, 0).path("cancellations")).singleElement()
                .satisfies(c -> assertThat(c.path("reason").asText()).isEqualTo("DisableJob"));
    }

    @Test
    void dependencyActionSatisfyLetsADependentRunAfterItsParentFailed() {
        createPool(http, "satisfy-pool", 1);
        createJob(http, "satisfy-job", "satisfy-pool", ",\"usesTaskDependencies\":true");
        addTask(http, "satisfy-job", "parent", ",\"exitConditions\":{\"exitCodes\":[{\"code\":4,"
                + "\"exitOptions\":{\"dependencyAction\":\"satisfy\"}}]}");
        addTask(http, "satisfy-job", "child", ",\"dependsOn\":{\"taskIds\":[\"parent\"]}");
        FakeAgent agent = agent("satisfy-pool");

        expect(agent.complete("satisfy-job", "parent", grantAndStart(agent, "satisfy-job", "parent"), 4), 204);

        assertThat(get(http, "/jobs/satisfy-job/tasks/parent").path("executionInfo").path("result").asText())
                .isEqualTo("failure");
        grantAndStart(agent, "satisfy-job", "child");
    }

    @Test
    void aBlockingParentKeepsItsDependentWaitingUntilItIsReactivated() {
        createPool(http, "block-pool", 1);
        createJob(http, "block-job", "block-pool", ",\"usesTaskDependencies\":true");
        addTask(http, "block-job", "parent", "");
        addTask(http, "block-job", "child", ",\"dependsOn\":{\"taskIds\":[\"parent\"]}");
        addTask(http, "block-job", "5", "");
        addTask(http, "block-job", "ranged", ",\"dependsOn\":{\"taskIdRanges\":[{\"start\":1,\"end\":9}]}");
        FakeAgent agent = agent("block-pool");

        expect(agent.complete("block-job", "parent", grantAndStart(agent, "block-job", "parent"), 1), 204);
        expect(agent.complete("block-job", "5", grantAndStart(agent, "block-job", "5"), 1), 204);

        for (int i = 0; i < 3; i++) {
            assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).as("blocked: never granted").isEmpty();
        }
        assertThat(get(http, "/jobs/block-job/tasks/child").path("state").asText()).isEqualTo("active");
        assertCounts("block-job", 2, 0, 2, 0, 2);

        expect(http.send("POST", "/jobs/block-job/tasks/parent/reactivate", null), 204);
        expect(agent.complete("block-job", "parent", grantAndStart(agent, "block-job", "parent"), 0), 204);
        expect(agent.complete("block-job", "child", grantAndStart(agent, "block-job", "child"), 0), 204);
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).as("the range is still blocked by 5").isEmpty();

        expect(http.send("DELETE", "/jobs/block-job/tasks/5", null), 200);
        grantAndStart(agent, "block-job", "ranged");
    }

    @Test
    void onAllTasksCompleteTerminatejobCompletesTheJobAfterItsLastTask() {
        createPool(http, "all-pool", 2);
        createJob(http, "all-job", "all-pool", "");
        addTask(http, "all-job", "a", "");
        addTask(http, "all-job", "b", "");
        expect(http.send("PATCH", "/jobs/all-job", "{\"onAllTasksComplete\":\"terminatejob\"}"), 200);
        FakeAgent agent = agent("all-pool");
        JsonNode answer = agent.poll(null, 0);
        assertThat(FakeAgent.leaseIds(answer)).hasSize(2);

        expect(agent.complete("all-job", "a", answer.path("leases").get(0).path("epoch").asLong(), 0), 204);
        assertThat(get(http, "/jobs/all-job").path("state").asText()).isEqualTo("active");
        expect(agent.complete("all-job", "b", answer.path("leases").get(1).path("epoch").asLong(), 1), 204);

        JsonNode job = get(http, "/jobs/all-job");
        assertThat(job.path("state").asText()).isEqualTo("completed");
        assertThat(job.path("executionInfo").path("terminateReason").asText()).isEqualTo("AllTasksComplete");
        assertThat(job.path("executionInfo").has("endTime")).isTrue();
        assertCounts("all-job", 0, 0, 2, 1, 1);
    }

    @Test
    void settingTerminatejobOnAJobWhoseTasksAllCompletedTerminatesIt() {
        createJob(http, "late-all-job", "nowhere-pool", "");

        expect(http.send("PATCH", "/jobs/late-all-job", "{\"onAllTasksComplete\":\"terminatejob\"}"), 200);

        JsonNode job = get(http, "/jobs/late-all-job");
        assertThat(job.path("state").asText()).as("a job without tasks has all of them complete")
                .isEqualTo("completed");
        assertThat(job.path("executionInfo").path("terminateReason").asText()).isEqualTo("AllTasksComplete");
    }

    @Test
    void onAllTasksCompleteCannotGoBackFromTerminatejobToNoaction() {
        createJob(http, "back-job", "back-pool", ",\"onAllTasksComplete\":\"terminatejob\"");
        addTask(http, "back-job", "t", "");

        HttpResponse<String> patch = http.send("PATCH", "/jobs/back-job", "{\"onAllTasksComplete\":\"noaction\"}");
        HttpResponse<String> update = http.send("PUT", "/jobs/back-job", "{\"poolInfo\":{\"poolId\":\"back-pool\"}}");

        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(patch.body()).contains("InvalidPropertyValue").contains("onAllTasksComplete");
        assertThat(update.statusCode()).as("an update that omits it resets it").isEqualTo(400);
        expect(http.send("PATCH", "/jobs/back-job", "{\"priority\":5}"), 200);
        assertThat(get(http, "/jobs/back-job").path("onAllTasksComplete").asText()).isEqualTo("terminatejob");
    }

    @Test
    void terminatingTheLastTaskOfATerminatejobJobCompletesIt() {
        createJob(http, "term-all-job", "term-all-pool", ",\"onAllTasksComplete\":\"terminatejob\"");
        addTask(http, "term-all-job", "t", "");

        expect(http.send("POST", "/jobs/term-all-job/tasks/t/terminate", null), 204);

        assertThat(get(http, "/jobs/term-all-job").path("state").asText()).isEqualTo("completed");
    }

    @Test
    void reactivationResetsTheRetryCountAndTheTaskIsGrantedAgain() {
        createPool(http, "react-pool", 1);
        createJob(http, "react-job", "react-pool", "");
        addTask(http, "react-job", "t", ",\"constraints\":{\"maxTaskRetryCount\":1}");
        FakeAgent agent = agent("react-pool");
        expect(agent.complete("react-job", "t", grantAndStart(agent, "react-job", "t"), 5), 204);
        expect(agent.complete("react-job", "t", grantAndStart(agent, "react-job", "t"), 5), 204);
        assertThat(get(http, "/jobs/react-job/tasks/t").path("executionInfo").path("retryCount").asInt())
                .isEqualTo(1);

        expect(http.send("POST", "/jobs/react-job/tasks/t/reactivate", null), 204);
        JsonNode reactivated = get(http, "/jobs/react-job/tasks/t");
        assertThat(reactivated.path("state").asText()).isEqualTo("active");
        assertThat(reactivated.path("executionInfo").path("retryCount").asInt()).isZero();
        assertCounts("react-job", 1, 0, 0, 0, 0);

        long epoch = grantAndStart(agent, "react-job", "t");
        assertThat(epoch).isEqualTo(3);
        expect(agent.complete("react-job", "t", epoch, 5), 204);
        assertThat(get(http, "/jobs/react-job/tasks/t").path("state").asText()).as("one retry again")
                .isEqualTo("active");
        expect(agent.complete("react-job", "t", grantAndStart(agent, "react-job", "t"), 0), 204);
        JsonNode done = get(http, "/jobs/react-job/tasks/t");
        assertThat(done.path("executionInfo").path("result").asText()).isEqualTo("success");
        assertThat(done.path("executionInfo").path("retryCount").asInt()).isEqualTo(1);
        assertCounts("react-job", 0, 0, 1, 1, 0);
    }

    @Test
    void aRequeueLeavesTheRetryCountAndTheCountsStayExact() throws Exception {
        createPool(http, "mixed-pool", 1);
        createJob(http, "mixed-job", "mixed-pool", ",\"constraints\":{\"maxTaskRetryCount\":1}");
        addTask(http, "mixed-job", "t", "");
        FakeAgent agent = agent("mixed-pool");
        expect(agent.complete("mixed-job", "t", grantAndStart(agent, "mixed-job", "t"), 7), 204);
        assertCounts("mixed-job", 1, 0, 0, 0, 0);
        grantAndStart(agent, "mixed-job", "t");
        assertCounts("mixed-job", 0, 1, 0, 0, 0);

        agent.forget("mixed-job", "t"); // the agent crashed: its lease runs out
        clock.advance(TIMING.leaseTtl().plusSeconds(1));
        JsonNode requeued = eventually(() -> get(http, "/jobs/mixed-job/tasks/t"),
                task -> task.path("state").asText().equals("active"));
        assertThat(requeued.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
        assertThat(requeued.path("executionInfo").path("retryCount").asInt()).isEqualTo(1);
        assertCounts("mixed-job", 1, 0, 0, 0, 0);

        FakeAgent other = agent("mixed-pool");
        long epoch = grantAndStart(other, "mixed-job", "t");
        assertThat(epoch).isEqualTo(3);
        expect(other.complete("mixed-job", "t", epoch, 7), 204);
        JsonNode done = get(http, "/jobs/mixed-job/tasks/t");
        assertThat(done.path("state").asText()).as("its one retry was used before the requeue")
                .isEqualTo("completed");
        assertThat(done.path("executionInfo").path("requeueCount").asInt()).isEqualTo(1);
        assertCounts("mixed-job", 0, 0, 1, 0, 1);
        addTask(http, "mixed-job", "ok", "");
        assertCounts("mixed-job", 1, 0, 1, 0, 1);
        expect(other.complete("mixed-job", "ok", grantAndStart(other, "mixed-job", "ok"), 0), 204);
        assertCounts("mixed-job", 0, 0, 2, 1, 1);
    }

    @Test
    void theStartReportMovesTheStartTimeToWhenTheAttemptStarted() throws Exception {
        createPool(http, "start-pool", 1);
        createJob(http, "start-job", "start-pool", "");
        addTask(http, "start-job", "t", "");
        FakeAgent agent = agent("start-pool");
        JsonNode answer = agent.poll(null, 0);
        long epoch = answer.path("leases").get(0).path("epoch").asLong();
        Instant granted = Instant.parse(get(http, "/jobs/start-job/tasks/t").path("executionInfo")
                .path("startTime").asText());
        Thread.sleep(20);

        expect(agent.start("start-job", "t", epoch), 204);

        Instant started = Instant.parse(get(http, "/jobs/start-job/tasks/t").path("executionInfo")
                .path("startTime").asText());
        assertThat(started).isAfter(granted);
        assertThat(get(http, "/jobs/start-job/tasks/t").path("state").asText()).isEqualTo("running");
    }
}
