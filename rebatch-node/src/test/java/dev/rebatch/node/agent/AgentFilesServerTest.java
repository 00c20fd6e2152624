package dev.rebatch.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.files.FileTreeDeleter;
import dev.rebatch.node.files.TaskFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files contract with the service: routes, headers, ranges, refusals and the files key. */
class AgentFilesServerTest {

    private static final String KEY = "the-files-key-0123456789";

    @TempDir
    Path root;
    private final Set<TaskKey> cleanedUp = new HashSet<>();
    private final TaskKey task = new TaskKey("job-1", "task-1");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private AgentFilesServer server;

    @BeforeEach
    void aTaskThatRan() throws Exception {
        NodeLayout layout = new NodeLayout(root);
        Files.createDirectories(layout.workingDir(task).resolve("out dir"));
        Files.writeString(layout.stdout(task), "hello world\n");
        Files.writeString(layout.stderr(task), "");
        Files.writeString(layout.workingDir(task).resolve("out dir/a+b.txt"), "0123456789");
        server = AgentFilesServer.start("127.0.0.1", 0, "127.0.0.1", new TaskFiles(layout, cleanedUp::contains));
        server.filesKey(KEY);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        FileTreeDeleter.deleteTree(root.resolve("workitems"));
    }

    @Test
    void theUrlIsWhereTheServiceFindsTheFiles() {
        assertThat(server.url()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/rebatch-agent/v1"));
    }

    @Test
    void listsATasksFilesWithoutUrls() throws Exception {
        HttpResponse<String> flat = send("GET", "/jobs/job-1/tasks/task-1/files?recursive=false", KEY, null);
        assertThat(flat.statusCode()).isEqualTo(200);
        JsonNode value = BatchJson.mapper().readTree(flat.body()).path("value");
        assertThat(value).extracting(file -> file.path("name").asText())
                .containsExactly("stderr.txt", "stdout.txt", "wd");
        assertThat(value.get(1).path("isDirectory").asBoolean()).isFalse();
        assertThat(value.get(1).path("properties").path("contentLength").asLong()).isEqualTo(12);
        assertThat(value.get(1).path("properties").path("lastModified").asText()).endsWith("Z");
        assertThat(value.get(1).has("url")).isFalse();

        JsonNode deep = BatchJson.mapper().readTree(send("GET", "/jobs/job-1/tasks/task-1/files?recursive=true", KEY,
                null).body()).path("value");
        assertThat(deep).extracting(file -> file.path("name").asText())
                .contains("wd/out dir", "wd/out dir/a+b.txt");
    }

    @Test
    void readsAFileWithItsPropertiesAsHeaders() throws Exception {
        HttpResponse<String> whole = send("GET", "/jobs/job-1/tasks/task-1/files/stdout.txt", KEY, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo("hello world\n");
        assertThat(whole.headers().firstValue("Content-Length")).hasValue("12");
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(whole.headers().firstValue("ocp-batch-file-isdirectory")).hasValue("false");
        assertThat(whole.headers().firstValue("ocp-batch-file-mode")).hasValueSatisfying(
                mode -> assertThat(mode).startsWith("0100"));
        assertThat(whole.headers().firstValue("ocp-creation-time")).isPresent();
        String lastModified = whole.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME)).isNotNull();

        // Percent-encoded segments: a space and a plus.
        HttpResponse<String> encoded = send("GET", "/jobs/job-1/tasks/task-1/files/wd/out%20dir/a+b.txt", KEY, null);
        assertThat(encoded.statusCode()).isEqualTo(200);
        assertThat(encoded.body()).isEqualTo("0123456789");

        HttpResponse<String> range = send("GET", "/jobs/job-1/tasks/task-1/files/stdout.txt", KEY, "bytes=6-10");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("world");
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 6-10/12");
        assertThat(range.headers().firstValue("Content-Length")).hasValue("5");

        HttpResponse<String> tail = send("GET", "/jobs/job-1/tasks/task-1/files/stdout.txt", KEY, "bytes=-6");
        assertThat(tail.body()).isEqualTo("world\n");

        HttpResponse<String> empty = send("GET", "/jobs/job-1/tasks/task-1/files/stderr.txt", KEY, null);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
        assertThat(empty.headers().firstValue("Content-Length")).hasValue("0");
    }

    @Test
    void headSendsTheHeadersOnly() throws Exception {
        HttpResponse<String> file = send("HEAD", "/jobs/job-1/tasks/task-1/files/stdout.txt", KEY, null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEmpty();
        assertThat(file.headers().firstValue("Content-Length")).hasValue("12");
        assertThat(file.headers().firstValue("ocp-batch-file-isdirectory")).hasValue("false");

        HttpResponse<String> directory = send("HEAD", "/jobs/job-1/tasks/task-1/files/wd", KEY, null);
        assertThat(directory.statusCode()).isEqualTo(200);
        assertThat(directory.headers().firstValue("ocp-batch-file-isdirectory")).hasValue("true");
        assertThat(directory.headers().firstValue("ocp-batch-file-mode")).hasValueSatisfying(
                mode -> assertThat(mode).startsWith("040"));

        assertThat(send("HEAD", "/jobs/job-1/tasks/task-1/files/nothing", KEY, null).statusCode()).isEqualTo(404);
    }

    @Test
    void deletesFilesAndWholeDirectoriesWhenAsked() throws Exception {
        HttpResponse<String> notEmpty = send("DELETE", "/jobs/job-1/tasks/task-1/files/wd/out%20dir", KEY, null);
        assertThat(notEmpty.statusCode()).isEqualTo(409);
        assertThat(notEmpty.body()).contains("\"code\":\"OperationInvalidForCurrentState\"");

        assertThat(send("DELETE", "/jobs/job-1/tasks/task-1/files/wd/out%20dir?recursive=true", KEY, null)
                .statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/jobs/job-1/tasks/task-1/files/stdout.txt", KEY, null).statusCode())
                .isEqualTo(200);
        assertThat(root.resolve("workitems/job-1/job-1/task-1/stdout.txt")).doesNotExist();
        assertThat(root.resolve("workitems/job-1/job-1/task-1/wd/out dir")).doesNotExist();
    }

    @Test
    void refusalsCarryTheBatchCodeAndItsStatus() throws Exception {
        HttpResponse<String> missing = send("GET", "/jobs/job-1/tasks/task-1/files/none.txt", KEY, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode error = BatchJson.mapper().readTree(missing.body());
        assertThat(error.path("code").asText()).isEqualTo("FileNotFound");
        assertThat(error.path("message").asText()).contains("none.txt");

        assertThat(codeOf(send("GET", "/jobs/job-1/tasks/task-1/files/wd/..%2F..%2Fx", KEY, null)))
                .isEqualTo("InvalidInput");
        assertThat(codeOf(send("GET", "/jobs/job-1/tasks/task-1/files/stdout.txt", KEY, "bytes=100-")))
                .isEqualTo("InvalidRange");
        assertThat(codeOf(send("GET", "/jobs/job-1/tasks/other/files", KEY, null))).isEqualTo("TaskFilesUnavailable");
        assertThat(codeOf(send("GET", "/jobs/job-1/tasks/bad%20id/files", KEY, null))).isEqualTo("TaskNotFound");
        assertThat(codeOf(send("GET", "/jobs/job-1/tasks/task-1/files?recursive=maybe", KEY, null)))
                .isEqualTo("InvalidQueryParameterValue");
        assertThat(codeOf(send("POST", "/jobs/job-1/tasks/task-1/files/stdout.txt", KEY, null)))
                .isEqualTo("UnsupportedHttpVerb");
        assertThat(codeOf(send("GET", "/pools/p/nodes", KEY, null))).isEqualTo("ResourceNotFound");

        cleanedUp.add(task);
        assertThat(codeOf(send("GET", "/jobs/job-1/tasks/task-1/files", KEY, null))).isEqualTo("TaskFilesCleanedup");
    }

    @Test
    void onlyTheServiceWithItsKeyIsServed() throws Exception {
        HttpResponse<String> noKey = send("GET", "/jobs/job-1/tasks/task-1/files/stdout.txt", null, null);
        assertThat(noKey.statusCode()).isEqualTo(403);
        assertThat(noKey.body()).doesNotContain("hello").contains("AuthenticationFailed");
        assertThat(send("GET", "/jobs/job-1/tasks/task-1/files/stdout.txt", KEY + "x", null).statusCode())
                .isEqualTo(403);

        server.filesKey(null);
        assertThat(send("GET", "/jobs/job-1/tasks/task-1/files/stdout.txt", KEY, null).statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> send(String method, String path, String key, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
        if (key != null) {
            request.header(AgentFilesServer.FILES_KEY_HEADER, key);
        }
        if (range != null) {
            request.header("ocp-range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String codeOf(HttpResponse<String> response) throws Exception {
        return BatchJson.mapper().readTree(response.body()).path("code").asText();
    }
}
