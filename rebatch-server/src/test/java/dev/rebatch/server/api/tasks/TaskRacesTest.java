package dev.rebatch.server.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.server.RebatchServer;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.store.BatchStores;
import dev.rebatch.server.store.RacingStore;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task requests racing a change made elsewhere (another request, another service instance on the same database)
 * between the route's read and its write. The store's hooks put the other writer exactly there, so each race is
 * played out deterministically.
 */
class TaskRacesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ACCOUNT = "alpha";
    private static final ResourceKey JOB = ResourceKey.topLevel(ACCOUNT, ResourceKind.JOB, "job1");
    private static final ResourceKey TASK = new ResourceKey(ACCOUNT, ResourceKind.TASK, "job1", "t1");

    @TempDir
    Path dataDir;
    private RacingStore store;
    private RebatchServer server;
    /** The service here takes every request as the account's: the signature is not checked. */
    private SignedHttp http;

    @BeforeEach
    void start() {
        store = new RacingStore(BatchStores.open(null, dataDir));
        server = RebatchServer.start("127.0.0.1", 0, store, (ctx, body) -> ACCOUNT, Clock.systemUTC());
        http = new SignedHttp("http://127.0.0.1:" + server.port(), ACCOUNT, TestService.KEY);
        assertThat(send("POST", "/jobs", "{\"id\":\"job1\",\"poolInfo\":{\"poolId\":\"p\"}}").statusCode())
                .isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    // ---- adds racing a change of their job

    @Test
    void aJobDeletedBetweenTheAddsReadAndItsInsertTakesNoTaskWithIt() throws Exception {
        store.beforeNextTaskInsert.set(() -> {
            store.update(withState(job(), "deleting"));
            store.delete(JOB);
        });

        HttpResponse<String> add = send("POST", "/jobs/job1/tasks", task("t1"));

        assertRefused(add, 404, "JobNotFound");
        assertThat(store.countByState(ACCOUNT, ResourceKind.TASK, "job1")).as("no task outlives its job").isEmpty();
    }

    @Test
    void aJobTerminatedBetweenTheAddsReadAndItsInsertRefusesTheTask() throws Exception {
        store.beforeNextTaskInsert.set(() -> store.update(withState(job(), "terminating")));

        assertRefused(send("POST", "/jobs/job1/tasks", task("t1")), 409, "JobBeingTerminated");
        assertThat(store.countByState(ACCOUNT, ResourceKind.TASK, "job1")).isEmpty();
    }

    @Test
    void aCollectionWhoseJobIsMarkedForDeletionMeanwhileIsRefusedWhole() throws Exception {
        store.beforeNextTaskInsert.set(() -> store.update(withState(job(), "deleting")));

        HttpResponse<String> add = send("POST", "/jobs/job1/addtaskcollection",
                "{\"value\":[" + task("a") + "," + task("b") + "]}");

        assertRefused(add, 409, "JobBeingDeleted");
        assertThat(store.countByState(ACCOUNT, ResourceKind.TASK, "job1")).isEmpty();
    }

    @Test
    void aJobDeletedAndCreatedAgainMeanwhileGetsTheTaskJudgedByItsOwnSettings() throws Exception {
        store.delete(JOB);
        assertThat(send("POST", "/jobs", job("job1", true)).statusCode()).isEqualTo(201);
        // The task depends on another, which the job read first allows; the job of the same id created meanwhile
        // does not use task dependencies, so the task must be judged again and refused.
        store.beforeNextTaskInsert.set(() -> {
            store.delete(JOB);
            assertThat(send("POST", "/jobs", job("job1", false)).statusCode()).isEqualTo(201);
        });

        HttpResponse<String> add = send("POST", "/jobs/job1/tasks",
                "{\"id\":\"t1\",\"commandLine\":\"/bin/true\",\"dependsOn\":{\"taskIds\":[\"t0\"]}}");

        assertRefused(add, 400, "TaskDependenciesNotSpecifiedOnJob");
        assertThat(store.find(TASK)).isEmpty();
    }

    @Test
    void aJobCreatedAgainMeanwhileTakesTheTaskWhenItsSettingsAllowIt() {
        store.beforeNextTaskInsert.set(() -> {
            store.delete(JOB);
            assertThat(send("POST", "/jobs", job("job1", true)).statusCode()).isEqualTo(201);
        });

        assertThat(send("POST", "/jobs/job1/tasks", task("t1")).statusCode()).isEqualTo(201);
        assertThat(store.find(TASK)).isPresent();
    }

    // ---- deletes racing a change of the task

    @Test
    void aTaskChangedBetweenTheIfMatchCheckAndTheDeleteIsKept() throws Exception {
        assertThat(send("POST", "/jobs/job1/tasks", task("t1")).statusCode()).isEqualTo(201);
        String etag = send("GET", "/jobs/job1/tasks/t1", null).headers().firstValue("ETag").orElseThrow();
        store.beforeNextVersionedDelete.set(() -> store.update(store.find(TASK).orElseThrow()));

        HttpResponse<String> delete = send("DELETE", "/jobs/job1/tasks/t1", null, "If-Match", etag);

        assertRefused(delete, 412, "ConditionNotMet");
        assertThat(store.find(TASK)).as("the version the client named is no longer the one stored").isPresent();
    }

    @Test
    void aTaskChangedBeforeAnUnconditionalDeleteIsDeletedAsItIsNow() {
        assertThat(send("POST", "/jobs/job1/tasks", task("t1")).statusCode()).isEqualTo(201);
        store.beforeNextVersionedDelete.set(() -> store.update(store.find(TASK).orElseThrow()));

        assertThat(send("DELETE", "/jobs/job1/tasks/t1", null).statusCode()).isEqualTo(200);
        assertThat(store.find(TASK)).isEmpty();
    }

    private StoredResource job() {
        return store.find(JOB).orElseThrow();
    }

    private static StoredResource withState(StoredResource r, String state) {
        return new StoredResource(r.key(), state, r.body(), r.version(), r.creationTime(), r.lastModified(),
                r.stateTransitionTime(), r.exitCode(), r.executionResult(), r.createRequestId());
    }

    private static String job(String id, boolean usesTaskDependencies) {
        return "{\"id\":\"" + id + "\",\"poolInfo\":{\"poolId\":\"p\"},\"usesTaskDependencies\":"
                + usesTaskDependencies + "}";
    }

    private static String task(String id) {
        return "{\"id\":\"" + id + "\",\"commandLine\":\"/bin/true\"}";
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(MAPPER.readTree(response.body()).get("code").asText()).isEqualTo(code);
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) {
        return http.send(method, path, body, headers);
    }
}
