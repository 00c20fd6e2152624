package dev.rebatch.server.dispatch;

import static dev.rebatch.server.dispatch.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.protocol.models.ComputeNode;
import com.microsoft.azure.batch.protocol.models.ComputeNodeState;
import com.microsoft.azure.batch.protocol.models.PoolNodeCounts;
import com.microsoft.azure.batch.protocol.models.SchedulingState;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.http.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node-agent protocol against the running service, driven by {@link FakeAgent}: registration, the node in the
 * Batch API, grants in queue order, the limits a grant respects, the long poll, fencing and authentication. Every test
 * works in a pool of its own.
 */
class NodeAgentProtocolTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();

    private static FakeAgent agent() {
        return new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
    }

    static void createPool(SignedHttp http, String poolId, int slotsPerNode) {
        expect(http.send("POST", "/pools", "{\"id\":\"" + poolId + "\",\"vmSize\":\"standard_d2s_v3\","
                + "\"targetDedicatedNodes\":1,\"taskSlotsPerNode\":" + slotsPerNode + "}"), 201);
    }

    static void createJob(SignedHttp http, String jobId, String poolId, String extra) {
        expect(http.send("POST", "/jobs", "{\"id\":\"" + jobId + "\",\"poolInfo\":{\"poolId\":\"" + poolId + "\"}"
                + extra + "}"), 201);
    }

    static void addTask(SignedHttp http, String jobId, String taskId, String extra) {
        expect(http.send("POST", "/jobs/" + jobId + "/tasks", "{\"id\":\"" + taskId + "\",\"commandLine\":\"/bin/true\""
                + extra + "}"), 201);
    }

    static JsonNode get(SignedHttp http, String path) {
        HttpResponse<String> response = expect(http.send("GET", path, null), 200);
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    @Test
    void aRegisteredNodeIsListedByTheOfficialSdkAndCountsInItsPool() throws Exception {
        createPool(http, "reg-pool", 4);
        FakeAgent agent = agent();

        JsonNode registration = agent.register("reg-pool", 2);

        assertThat(registration.path("nodeId").asText()).matches("tvmps_[0-9a-f]{32}");
        assertThat(registration.path("nodeToken").asText()).hasSizeGreaterThan(40);
        assertThat(registration.path("taskSlotsPerNode").asInt()).isEqualTo(4);
        assertThat(registration.path("taskSlots").asInt()).as("the agent offers fewer").isEqualTo(2);
        assertThat(registration.path("heartbeatIntervalMillis").asLong()).isPositive();
        assertThat(registration.path("leaseTtlMillis").asLong())
                .isGreaterThan(registration.path("heartbeatIntervalMillis").asLong());

        BatchClient batch = service.officialClient();
        List<ComputeNode> nodes = batch.computeNodeOperations().listComputeNodes("reg-pool");
        assertThat(nodes).singleElement().satisfies(node -> {
            assertThat(node.id()).isEqualTo(agent.nodeId());
            assertThat(node.state()).isEqualTo(ComputeNodeState.IDLE);
            assertThat(node.schedulingState()).isEqualTo(SchedulingState.ENABLED);
            assertThat(node.isDedicated()).isTrue();
            assertThat(node.vmSize()).isEqualTo("standard_d2s_v3");
            assertThat(node.url()).isEqualTo(service.endpoint() + "/pools/reg-pool/nodes/" + agent.nodeId());
            assertThat(node.totalTasksRun()).isZero();
        });
        assertThat(batch.computeNodeOperations().getComputeNode("reg-pool", agent.nodeId()).affinityId())
                .isEqualTo("TVM:" + agent.nodeId());
        assertThat(batch.poolOperations().getPool("reg-pool").currentDedicatedNodes()).isEqualTo(1);
        PoolNodeCounts counts = batch.accountOperations().listPoolNodeCounts().stream()
                .filter(c -> c.poolId().equals("reg-pool")).findFirst().orElseThrow();
        assertThat(counts.dedicated().idle()).isEqualTo(1);
        assertThat(counts.dedicated().total()).isEqualTo(1);
        assertThat(get(http, "/pools/reg-pool/nodes/" + agent.nodeId()).has("rebatchAgent"))
                .as("the token hash is never shown").isFalse();
    }

    @Test
    void registeringIntoAMissingPoolIsPoolNotFound() {
        HttpResponse<String> response = http.call("POST", "/rebatch/node-agent/v1/pools/no-such-pool/nodes")
                .query("api-version", null).body("{\"hostname\":\"h\"}").send();

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("PoolNotFound");
    }

    @Test
    void tasksAreGrantedByJobPriorityThenAge() {
        createPool(http, "order-pool", 8);
        createJob(http, "order-low", "order-pool", ",\"priority\":10");
        createJob(http, "order-high", "order-pool", ",\"priority\":500");
        addTask(http, "order-low", "l1", "");
        addTask(http, "order-high", "h1", "");
        addTask(http, "order-low", "l2", "");
        addTask(http, "order-high", "h2", "");
        FakeAgent agent = agent();
        agent.register("order-pool", null);

        assertThat(FakeAgent.leaseIds(agent.poll(1, 0))).containsExactly("order-high/h1");
        assertThat(FakeAgent.leaseIds(agent.poll(2, 0))).containsExactly("order-high/h2", "order-low/l1");
        assertThat(FakeAgent.leaseIds(agent.poll(5, 0))).containsExactly("order-low/l2");
        assertThat(FakeAgent.leaseIds(agent.poll(5, 0))).isEmpty();
    }

    @Test
    void aGrantRunsTheTaskOnTheNodeWithTheNextEpoch() {
        createPool(http, "grant-pool", 1);
        createJob(http, "grant-job", "grant-pool", ",\"commonEnvironmentSettings\":[{\"name\":\"A\",\"value\":\"1\"}]");
        addTask(http, "grant-job", "t", "");
        FakeAgent agent = agent();
        agent.register("grant-pool", null);

        JsonNode lease = agent.poll(null, 0).path("leases").get(0);

        assertThat(lease.path("epoch").asLong()).isEqualTo(1);
        assertThat(lease.path("task").path("id").asText()).isEqualTo("t");
        assertThat(lease.path("task").path("commandLine").asText()).isEqualTo("/bin/true");
        List<String> leased = new ArrayList<>();
        lease.path("task").fieldNames().forEachRemaining(leased::add);
        assertThat(leased).as("the task as the node runs it, not what the service keeps about it")
                .contains("id", "commandLine", "requiredSlots")
                .doesNotContain("executionInfo", "nodeInfo", "eTag", "url", "state", "creationTime");
        assertThat(lease.path("job").path("commonEnvironmentSettings").get(0).path("name").asText()).isEqualTo("A");
        JsonNode task = get(http, "/jobs/grant-job/tasks/t");
        assertThat(task.path("state").asText()).isEqualTo("running");
        assertThat(task.path("nodeInfo").path("nodeId").asText()).isEqualTo(agent.nodeId());
        assertThat(task.path("nodeInfo").path("poolId").asText()).isEqualTo("grant-pool");
        assertThat(task.path("nodeInfo").path("taskRootDirectory").asText()).isEqualTo("workitems/grant-job/job-1/t");
        String nodeUrl = service.endpoint() + "/pools/grant-pool/nodes/" + agent.nodeId();
        assertThat(task.path("nodeInfo").path("nodeUrl").asText()).isEqualTo(nodeUrl);
        assertThat(task.path("nodeInfo").path("taskRootDirectoryUrl").asText())
                .isEqualTo(nodeUrl + "/files/workitems/grant-job/job-1/t");
        String otherAddress = service.endpoint().replace("127.0.0.1", "localhost");
        JsonNode seenThere = get(new SignedHttp(otherAddress, TestService.ACCOUNT, TestService.KEY),
                "/jobs/grant-job/tasks/t");
        assertThat(seenThere.path("nodeInfo").path("nodeUrl").asText()).as("made from the address the caller used")
                .isEqualTo(otherAddress + "/pools/grant-pool/nodes/" + agent.nodeId());
        assertThat(task.path("executionInfo").has("startTime")).isTrue();
        JsonNode node = get(http, "/pools/grant-pool/nodes/" + agent.nodeId());
        assertThat(node.path("state").asText()).isEqualTo("running");
        assertThat(node.path("runningTasksCount").asInt()).isEqualTo(1);
        assertThat(node.path("recentTasks").get(0).path("taskId").asText()).isEqualTo("t");
        JsonNode counts = get(http, "/jobs/grant-job/taskcounts").path("taskCounts");
        assertThat(counts.path("running").asInt()).isEqualTo(1);
        assertThat(counts.path("active").asInt()).isZero();
    }

    @Test
    void aJobNeverRunsMoreThanItsMaxParallelTasks() {
        createPool(http, "par-pool", 8);
        createJob(http, "par-job", "par-pool", ",\"maxParallelTasks\":2");
        for (int i = 0; i < 5; i++) {
            addTask(http, "par-job", "t" + i, "");
        }
        FakeAgent first = agent();
        first.register("par-pool", null);
        FakeAgent second = agent();
        second.register("par-pool", null);

        assertThat(FakeAgent.leaseIds(first.poll(8, 0))).hasSize(2);
        assertThat(FakeAgent.leaseIds(second.poll(8, 0))).as("the job is at its limit").isEmpty();
        FakeAgent.Held done = first.held().getFirst();
        expect(first.complete(done.jobId(), done.taskId(), done.epoch(), 0), 204);
        assertThat(FakeAgent.leaseIds(second.poll(8, 0))).hasSize(1);
    }

    @Test
    void aTaskIsGrantedOnlyWhereItsRequiredSlotsAreFree() throws Exception {
        createPool(http, "slots-pool", 4);
        createJob(http, "slots-job", "slots-pool", "");
        addTask(http, "slots-job", "big", ",\"requiredSlots\":3");
        addTask(http, "slots-job", "small", ",\"requiredSlots\":1");
        addTask(http, "slots-job", "huge", ",\"requiredSlots\":5");
        FakeAgent agent = agent();
        agent.register("slots-pool", null);

        assertThat(FakeAgent.leaseIds(agent.poll(2, 0))).as("big does not fit in 2 slots; small does")
                .containsExactly("slots-job/small");
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).as("3 of 4 slots free now").containsExactly("slots-job/big");
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).as("no slot left").isEmpty();
        // The node's counts are written with its other activity, within a second (NodeActivity).
        assertThat(eventually(() -> get(http, "/pools/slots-pool/nodes/" + agent.nodeId()),
                node -> node.path("runningTaskSlotsCount").asInt() == 4).path("runningTasksCount").asInt())
                .isEqualTo(2);
        assertThat(get(http, "/jobs/slots-job/tasks/huge").path("state").asText())
                .as("more slots than any node has: it waits").isEqualTo("active");
    }

    @Test
    void aTaskWaitsForTheTasksItDependsOn() {
        createPool(http, "dep-pool", 4);
        createJob(http, "dep-job", "dep-pool", ",\"usesTaskDependencies\":true");
        addTask(http, "dep-job", "child", ",\"dependsOn\":{\"taskIds\":[\"parent\"]}");
        addTask(http, "dep-job", "parent", "");
        FakeAgent agent = agent();
        agent.register("dep-pool", null);

        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).containsExactly("dep-job/parent");
        FakeAgent.Held parent = agent.held().getFirst();
        expect(agent.complete("dep-job", "parent", parent.epoch(), 0), 204);
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).containsExactly("dep-job/child");
    }

    @Test
    void anIdleNodeWaitingForWorkGetsATaskWithinMillisecondsOfItsAdd() throws Exception {
        createPool(http, "wake-pool", 1);
        createJob(http, "wake-job", "wake-pool", "");
        FakeAgent agent = agent();
        agent.register("wake-pool", null);
        long waitMillis = 8_000;

        long started = System.nanoTime();
        CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() -> agent.poll(null, waitMillis));
        Thread.sleep(300); // the call is waiting now
        long added = System.nanoTime();
        addTask(http, "wake-job", "t", "");
        JsonNode answer = poll.get(waitMillis * 2, TimeUnit.MILLISECONDS);
        long answered = System.nanoTime();

        assertThat(FakeAgent.leaseIds(answer)).containsExactly("wake-job/t");
        assertThat(TimeUnit.NANOSECONDS.toMillis(answered - started)).as("ended well before its wait")
                .isLessThan(waitMillis / 2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(answered - added)).as("from the add to the grant").isLessThan(1_000);
    }

    @Test
    void aFullNodesWaitingCallEndsWhenOneOfItsCompletionsIsAccepted() throws Exception {
        createPool(http, "full-pool", 1);
        createJob(http, "full-job", "full-pool", "");
        addTask(http, "full-job", "t1", "");
        addTask(http, "full-job", "t2", "");
        FakeAgent agent = agent();
        agent.register("full-pool", null);
        long epoch = agent.poll(1, 0).path("leases").get(0).path("epoch").asLong();
        String first = agent.held().getFirst().taskId();
        long waitMillis = 8_000;

        // No free slot: nothing can be granted, so the call waits.
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> agent.pollRaw(0, waitMillis, agent.token()));
        Thread.sleep(300);
        long completed = System.nanoTime();
        expect(agent.complete("full-job", first, epoch, 0), 204);
        HttpResponse<String> answer = waiting.get(waitMillis * 2, TimeUnit.MILLISECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - completed)).as("from the completion to the answer")
                .isLessThan(1_000);
        // It still listed the attempt it has just completed: that one is named among the cancellations.
        JsonNode body = Json.MAPPER.readTree(answer.body());
        assertThat(body.path("cancellations")).extracting(c -> c.path("taskId").asText()).containsExactly(first);
        assertThat(body.path("leases")).isEmpty();
        assertThat(FakeAgent.leaseIds(agent.poll(1, 0))).hasSize(1);
    }

    @Test
    void aLeaseCallWithNothingToSayWaitsItsTime() {
        createPool(http, "quiet-pool", 1);
        FakeAgent agent = agent();
        agent.register("quiet-pool", null);

        long started = System.nanoTime();
        JsonNode answer = agent.poll(null, 400);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(350L, 5_000L);
        assertThat(answer.path("leases")).isEmpty();
        assertThat(answer.path("node").path("state").asText()).isEqualTo("idle");
    }

    @Test
    void aBatchOfCompletionsIsJudgedOneByOne() {
        FakeAgent agent = agentWithTasks("batch", 4, List.of("a", "b", "c"));
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).hasSize(3);
        long epoch = agent.held().getFirst().epoch();

        HttpResponse<String> answer = agent.completeAll(List.of(
                completion("batch-job", "a", epoch, 0),
                completion("batch-job", "b", epoch + 1, 0), // a stale epoch
                completion("batch-job", "c", epoch, 2),
                completion("batch-job", "gone", epoch, 0)));

        expect(answer, 200);
        JsonNode results = Json.readStored(answer.body()).path("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).has("code")).isFalse();
        assertThat(results.get(1).path("code").asText()).isEqualTo("LeaseEpochStale");
        assertThat(results.get(2).has("code")).isFalse();
        assertThat(results.get(3).path("code").asText()).isEqualTo("TaskNotFound");
        assertThat(get(http, "/jobs/batch-job/tasks/a").path("executionInfo").path("result").asText())
                .isEqualTo("success");
        assertThat(get(http, "/jobs/batch-job/tasks/b").path("state").asText()).as("refused: unchanged")
                .isEqualTo("running");
        assertThat(get(http, "/jobs/batch-job/tasks/c").path("executionInfo").path("exitCode").asInt()).isEqualTo(2);
        assertThat(agent.held()).extracting(FakeAgent.Held::taskId).containsExactly("b");
        expect(agent.completeAll(List.of()), 400);
    }

    @Test
    void aCompletionsCallThatOffersSlotsIsGrantedTasksForThem() {
        FakeAgent agent = agentWithTasks("offer", 2, List.of("t1", "t2", "t3", "t4"));
        assertThat(FakeAgent.leaseIds(agent.poll(2, 0))).containsExactly("offer-job/t1", "offer-job/t2");
        long epoch = agent.held().getFirst().epoch();

        HttpResponse<String> offered = agent.completeAll(List.of(completion("offer-job", "t1", epoch, 0)), 1);

        expect(offered, 200);
        JsonNode answer = Json.readStored(offered.body());
        assertThat(answer.path("results").get(0).has("code")).isFalse();
        assertThat(FakeAgent.leaseIds(answer)).containsExactly("offer-job/t3");
        assertThat(answer.path("leases").get(0).path("task").path("commandLine").asText()).isNotEmpty();
        assertThat(get(http, "/jobs/offer-job/tasks/t3").path("state").asText()).isEqualTo("running");
        assertThat(agent.held()).extracting(FakeAgent.Held::taskId).containsExactlyInAnyOrder("t2", "t3");

        HttpResponse<String> notOffered = agent.completeAll(List.of(completion("offer-job", "t2", epoch, 0)));
        expect(notOffered, 200);
        assertThat(Json.readStored(notOffered.body()).path("leases").isMissingNode()).as("no offer, no leases")
                .isTrue();
        assertThat(get(http, "/jobs/offer-job/tasks/t4").path("state").asText()).isEqualTo("active");
        expect(agent.completeAll(List.of(completion("offer-job", "t3", epoch, 0)), 300), 400);
    }

    @Test
    void aWaitingLeaseCallAndACompletionsCallNeverTakeTheSameSlot() throws Exception {
        FakeAgent agent = agentWithTasks("share", 2, List.of("t1", "t2", "t3", "t4", "t5", "t6"));
        agent.poll(2, 0);
        List<FakeAgent.Held> first = agent.held();
        long waitMillis = 3_000;
        long started = System.nanoTime();
        // The node is full: its lease call offers no slot, and waits.
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> agent.pollRaw(0, waitMillis, agent.token()));
        Thread.sleep(300);

        HttpResponse<String> offered = agent.completeAll(first.stream()
                .map(held -> completion(held.jobId(), held.taskId(), held.epoch(), 0)).toList(), 2);
        HttpResponse<String> waited = waiting.get(waitMillis * 3, TimeUnit.MILLISECONDS);

        assertThat(FakeAgent.leaseIds(Json.readStored(offered.body()))).hasSize(2);
        assertThat(Json.readStored(waited.body()).path("leases")).as("the slots went to the completions call").isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .as("the completions took every slot they freed: the waiting call was not woken for them")
                .isGreaterThanOrEqualTo(waitMillis - 500);
        assertThat(get(http, "/jobs/share-job/taskcounts").path("taskCounts").path("running").asInt()).isEqualTo(2);
    }

    @Test
    void anOfferTheQueueCannotFillWakesTheNodesWaitingLeaseCall() throws Exception {
        FakeAgent agent = agentWithTasks("dry", 2, List.of("t1", "t2", "t3"));
        agent.poll(2, 0);
        long epoch = agent.held().getFirst().epoch();
        long waitMillis = 8_000;
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> agent.pollRaw(0, waitMillis, agent.token()));
        Thread.sleep(300);
        assertThat(FakeAgent.leaseIds(Json.readStored(agent.completeAll(
                List.of(completion("dry-job", "t1", epoch, 0)), 1).body()))).containsExactly("dry-job/t3");
        assertThat(waiting).as("filled: the waiting call goes on waiting").isNotDone();

        long completed = System.nanoTime();
        HttpResponse<String> dry = agent.completeAll(List.of(completion("dry-job", "t2", epoch, 0)), 1);
        waiting.get(waitMillis * 2, TimeUnit.MILLISECONDS);

        assertThat(Json.readStored(dry.body()).path("leases")).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - completed))
                .as("the slot left over woke the waiting call, which the agent then makes again offering it")
                .isLessThan(1_000);
    }

    /** A pool NAME-pool of one node with {@code slots} slots, a job NAME-job on it with {@code taskIds}, its agent. */
    private FakeAgent agentWithTasks(String name, int slots, List<String> taskIds) {
        createPool(http, name + "-pool", slots);
        createJob(http, name + "-job", name + "-pool", "");
        for (String id : taskIds) {
            addTask(http, name + "-job", id, "");
        }
        FakeAgent agent = agent();
        agent.register(name + "-pool", null);
        return agent;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode completion(String jobId, String taskId, long epoch,
            int exitCode) {
        return Json.MAPPER.createObjectNode().put("jobId", jobId).put("taskId", taskId).put("epoch", epoch)
                .put("exitCode", exitCode);
    }

    @Test
    void aReportUnderAStaleEpochIsRefusedAndChangesNothing() {
        createPool(http, "fence-pool", 1);
        createJob(http, "fence-job", "fence-pool", "");
        addTask(http, "fence-job", "t", "");
        FakeAgent agent = agent();
        agent.register("fence-pool", null);
        long epoch = agent.poll(null, 0).path("leases").get(0).path("epoch").asLong();
        expect(agent.start("fence-job", "t", epoch), 204);

        HttpResponse<String> stale = agent.complete("fence-job", "t", epoch - 1 + 2, 0);

        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("LeaseEpochStale");
        assertThat(get(http, "/jobs/fence-job/tasks/t").path("state").asText()).isEqualTo("running");
        expect(agent.complete("fence-job", "t", epoch, 3), 204);
        JsonNode task = get(http, "/jobs/fence-job/tasks/t");
        assertThat(task.path("state").asText()).isEqualTo("completed");
        assertThat(task.path("executionInfo").path("exitCode").asInt()).isEqualTo(3);
        assertThat(task.path("executionInfo").path("result").asText()).isEqualTo("failure");
        HttpResponse<String> again = agent.complete("fence-job", "t", epoch, 0);
        assertThat(again.statusCode()).as("reported twice").isEqualTo(409);
        assertThat(again.body()).contains("LeaseNotHeld");
        JsonNode counts = get(http, "/jobs/fence-job/taskcounts").path("taskCounts");
        assertThat(counts.path("completed").asInt()).isEqualTo(1);
        assertThat(counts.path("failed").asInt()).isEqualTo(1);
        assertThat(counts.path("succeeded").asInt()).isZero();
    }

    @Test
    void anotherNodeCannotReportOnATaskItDoesNotHold() {
        createPool(http, "other-node-pool", 1);
        createJob(http, "other-node-job", "other-node-pool", "");
        addTask(http, "other-node-job", "t", "");
        FakeAgent holder = agent();
        holder.register("other-node-pool", null);
        FakeAgent intruder = agent();
        intruder.register("other-node-pool", null);
        long epoch = holder.poll(null, 0).path("leases").get(0).path("epoch").asLong();

        HttpResponse<String> refused = intruder.complete("other-node-job", "t", epoch, 0);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("LeaseNotHeld");
        assertThat(get(http, "/jobs/other-node-job/tasks/t").path("state").asText()).isEqualTo("running");
    }

    @Test
    void aCallForAMissingPoolIsPoolNotFoundAndForAMissingNodeNodeNotFound() {
        createPool(http, "present-pool", 1);
        FakeAgent agent = agent();
        agent.register("present-pool", null);

        HttpResponse<String> noPool = leaseCall("no-such-pool", agent.nodeId(), agent.token());
        HttpResponse<String> noNode = leaseCall("present-pool", "tvmps_no_such_node", agent.token());

        assertThat(noPool.statusCode()).isEqualTo(404);
        assertThat(noPool.body()).contains("PoolNotFound");
        assertThat(noNode.statusCode()).isEqualTo(404);
        assertThat(noNode.body()).contains("NodeNotFound");
        assertThat(leaseCall("PRESENT-POOL", agent.nodeId(), agent.token()).statusCode())
                .as("ids are case-insensitive").isEqualTo(200);
    }

    private HttpResponse<String> leaseCall(String poolId, String nodeId, String token) {
        return http.call("POST", "/rebatch/node-agent/v1/pools/" + poolId + "/nodes/" + nodeId + "/leases")
                .query("api-version", null).body("{\"waitMillis\":0}").header("x-rebatch-node-token", token).send();
    }

    @Test
    void everyNodeCallNeedsTheNodesOwnToken() {
        createPool(http, "token-pool", 1);
        FakeAgent agent = agent();
        agent.register("token-pool", null);
        FakeAgent other = agent();
        other.register("token-pool", null);

        HttpResponse<String> none = agent.pollRaw(null, 0, null);
        HttpResponse<String> wrong = agent.pollRaw(null, 0, other.token());

        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("NodeTokenInvalid");
        assertThat(wrong.statusCode()).as("another node's token").isEqualTo(403);
        assertThat(agent.pollRaw(null, 0, agent.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void anAgentOfAnotherAccountCannotLeaseThisAccountsTasks() {
        createPool(http, "acct-pool", 1);
        createJob(http, "acct-job", "acct-pool", "");
        addTask(http, "acct-job", "t", "");
        FakeAgent mine = agent();
        mine.register("acct-pool", null);
        FakeAgent foreign = new FakeAgent(service.endpoint(), TestService.OTHER_ACCOUNT, TestService.OTHER_KEY);

        HttpResponse<String> register = new SignedHttp(service.endpoint(), TestService.OTHER_ACCOUNT,
                TestService.OTHER_KEY).call("POST", "/rebatch/node-agent/v1/pools/acct-pool/nodes")
                .query("api-version", null).body("{\"hostname\":\"h\"}").send();
        assertThat(register.statusCode()).as("the pool is not in its account").isEqualTo(404);
        // Signed as the other account but presenting this account's node and token: the node is not found there.
        HttpResponse<String> borrowed = new SignedHttp(service.endpoint(), TestService.OTHER_ACCOUNT,
                TestService.OTHER_KEY).call("POST", "/rebatch/node-agent/v1/pools/acct-pool/nodes/" + mine.nodeId()
                        + "/leases").query("api-version", null).body("{\"waitMillis\":0}")
                .header("x-rebatch-node-token", mine.token()).send();
        assertThat(borrowed.statusCode()).isEqualTo(404);
        assertThat(foreign).isNotNull();
        assertThat(get(http, "/jobs/acct-job/tasks/t").path("state").asText()).isEqualTo("active");
    }

    @Test
    void nodeAgentCallsAreNotBatchOperations() {
        createPool(http, "plain-pool", 1);

        HttpResponse<String> withoutApiVersion = http.call("POST", "/rebatch/node-agent/v1/pools/plain-pool/nodes")
                .query("api-version", null).body("{\"hostname\":\"h\"}").send();
        HttpResponse<String> unsigned = http.call("POST", "/rebatch/node-agent/v1/pools/plain-pool/nodes")
                .query("api-version", null).body("{\"hostname\":\"h\"}").unsigned().send();

        assertThat(withoutApiVersion.statusCode()).as("no api-version needed").isEqualTo(201);
        assertThat(unsigned.statusCode()).as("but Shared Key is").isEqualTo(403);
    }

    @Test
    void aWaitingNodeWhosePoolIsDeletedHearsNodeNotFound() throws Exception {
        createPool(http, "gone-pool", 1);
        FakeAgent agent = agent();
        agent.register("gone-pool", null);

        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(
                () -> agent.pollRaw(null, 8_000, agent.token()));
        Thread.sleep(300);
        expect(http.send("DELETE", "/pools/gone-pool", null), 202);
        HttpResponse<String> answer = poll.get(16, TimeUnit.SECONDS);

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).containsAnyOf("NodeNotFound", "PoolNotFound");
    }
}
