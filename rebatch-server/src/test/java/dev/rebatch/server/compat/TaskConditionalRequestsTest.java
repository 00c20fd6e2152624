package dev.rebatch.server.compat;

import static dev.rebatch.server.compat.BatchResponses.assertError;
import static dev.rebatch.server.compat.BatchResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conditional headers on Task_{Get,Update,Terminate,Reactivate,Delete} (wire-notes 1.4), over signed HTTP. The
 * race of a condition against a concurrent writer is pinned down for jobs (JobConditionalRequestsTest); tasks go
 * through the same {@code OptimisticUpdates}.
 */
class TaskConditionalRequestsTest {

    private static final String JOB = "conditional-tasks";
    /** A well-formed ETag no task has. */
    private static final String STALE = "0x8D4100FC49F0278";

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();

    @BeforeAll
    static void start() {
        assertThat(http.call("POST", "/jobs").body("{\"id\":\"" + JOB + "\",\"poolInfo\":{\"poolId\":\"p\"}}").send()
                .statusCode()).isEqualTo(201);
    }

    private static String newTask(String taskId) {
        HttpResponse<String> created = http.call("POST", "/jobs/" + JOB + "/tasks")
                .body("{\"id\":\"" + taskId + "\",\"commandLine\":\"echo\"}").send();
        assertThat(created.statusCode()).isEqualTo(201);
        return created.headers().firstValue("ETag").orElseThrow();
    }

    private static HttpResponse<String> get(String taskId, String header, String value) {
        return http.call("GET", "/jobs/" + JOB + "/tasks/" + taskId).header(header, value).send();
    }

    private static String state(String taskId) {
        HttpResponse<String> task = http.call("GET", "/jobs/" + JOB + "/tasks/" + taskId).send();
        assertThat(task.statusCode()).isEqualTo(200);
        return json(task).path("state").asText();
    }

    @Test
    void getIs304WhenTheTaskIsUnchangedAnd412ForAStaleIfMatch() {
        String etag = newTask("cond-get");

        HttpResponse<String> unchanged = get("cond-get", "If-None-Match", etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);

        assertThat(get("cond-get", "If-None-Match", STALE).statusCode()).isEqualTo(200);
        assertThat(get("cond-get", "If-Match", etag).statusCode()).isEqualTo(200);
        assertError(get("cond-get", "If-Match", STALE), 412, "ConditionNotMet", Map.of());
    }

    @Test
    void writesWithAStaleIfMatchAre412AndChangeNothing() {
        String etag = newTask("cond-write");
        String path = "/jobs/" + JOB + "/tasks/cond-write";

        assertError(http.call("POST", path + "/terminate").header("If-Match", STALE).send(), 412, "ConditionNotMet",
                Map.of());
        assertError(http.call("PUT", path).header("If-Match", STALE)
                .body("{\"constraints\":{\"maxTaskRetryCount\":3}}").send(), 412, "ConditionNotMet", Map.of());
        assertError(http.call("DELETE", path).header("If-Match", STALE).send(), 412, "ConditionNotMet", Map.of());
        assertThat(get("cond-write", "If-Match", etag).statusCode()).as("unchanged").isEqualTo(200);
        assertThat(state("cond-write")).isEqualTo("active");

        HttpResponse<String> terminated = http.call("POST", path + "/terminate").header("If-Match", etag).send();
        assertThat(terminated.statusCode()).isEqualTo(204);
        String completed = terminated.headers().firstValue("ETag").orElseThrow();
        assertThat(completed).isNotEqualTo(etag);
        assertThat(state("cond-write")).isEqualTo("completed");

        // The reactivate names the version before the terminate: stale now.
        assertError(http.call("POST", path + "/reactivate").header("If-Match", etag).send(), 412, "ConditionNotMet",
                Map.of());
        assertThat(state("cond-write")).isEqualTo("completed");
        assertThat(http.call("POST", path + "/reactivate").header("If-Match", completed).send().statusCode())
                .isEqualTo(204);
        assertThat(state("cond-write")).isEqualTo("active");
    }

    @Test
    void aWriteGuardedByIfNoneMatchOnTheCurrentVersionIs412() {
        String etag = newTask("cond-none-match");
        String path = "/jobs/" + JOB + "/tasks/cond-none-match";
        assertError(http.call("DELETE", path).header("If-None-Match", etag).send(), 412, "ConditionNotMet", Map.of());
        assertThat(http.call("DELETE", path).header("If-Match", etag).send().statusCode()).isEqualTo(200);
        assertError(http.call("GET", path).send(), 404, "TaskNotFound", Map.of());
    }
}
