package dev.rebatch.server.api.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.protocol.models.BatchErrorException;
import com.microsoft.azure.batch.protocol.models.FileProperties;
import com.microsoft.azure.batch.protocol.models.NodeFile;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.dispatch.FakeAgent;
import dev.rebatch.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The task file operations against the running service, the files served by a {@link FakeFileServer} that keeps the
 * agent side of the contract; through plain signed HTTP and the official Java SDK.
 */
class TaskFilesTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();
    static final FakeFileServer agentFiles = newFileServer();

    private static FakeFileServer newFileServer() {
        try {
            return new FakeFileServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopFileServer() {
        agentFiles.close();
    }

    /** A pool, a job and a task running on an agent whose files {@code files} serves; returns the agent. */
    private static FakeAgent running(String name, String filesUrl, FakeFileServer files) {
        expect(http.send("POST", "/pools", "{\"id\":\"" + name + "-pool\",\"vmSize\":\"standard_d2s_v3\"}"), 201);
        expect(http.send("POST", "/jobs", "{\"id\":\"" + name + "-job\",\"poolInfo\":{\"poolId\":\"" + name
                + "-pool\"}}"), 201);
        expect(http.send("POST", "/jobs/" + name + "-job/tasks", "{\"id\":\"t\",\"commandLine\":\"/bin/true\"}"), 201);
        FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
        JsonNode registration = agent.register(name + "-pool", null, filesUrl);
        assertThat(registration.path("filesKey").asText()).hasSizeGreaterThan(40);
        if (files != null) {
            files.key(registration.path("filesKey").asText());
        }
        assertThat(FakeAgent.leaseIds(agent.poll(null, 0))).containsExactly(name + "-job/t");
        return agent;
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void stdFiles(String jobId) {
        agentFiles.put(jobId, "t", "stdout.txt", "hello, world\n".getBytes(StandardCharsets.UTF_8));
        agentFiles.put(jobId, "t", "stderr.txt", new byte[0]);
        agentFiles.put(jobId, "t", "wd/out put.txt", "0123456789".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void filesAreListedWithTheirUrlsRecursivelyOrNot() {
        running("list", agentFiles.url(), agentFiles);
        stdFiles("list-job");

        JsonNode top = json(expect(http.send("GET", "/jobs/list-job/tasks/t/files", null), 200));
        JsonNode all = json(expect(http.call("GET", "/jobs/list-job/tasks/t/files").query("recursive", "true")
                .send(), 200));

        assertThat(names(top)).containsExactly("stderr.txt", "stdout.txt", "wd");
        assertThat(names(all)).containsExactly("stderr.txt", "stdout.txt", "wd", "wd/out put.txt");
        JsonNode nested = all.path("value").get(3);
        assertThat(nested.path("url").asText())
                .isEqualTo(service.endpoint() + "/jobs/list-job/tasks/t/files/wd/out%20put.txt");
        assertThat(nested.path("isDirectory").asBoolean()).isFalse();
        assertThat(nested.path("properties").path("contentLength").asLong()).isEqualTo(10);
        assertThat(all.path("value").get(2).path("isDirectory").asBoolean()).isTrue();
        assertThat(top.path("odata.metadata").asText()).endsWith("/$metadata#files");
        assertThat(agentFiles.requests()).contains("GET /agent/files/jobs/list-job/tasks/t/files?recursive=true");
    }

    @Test
    void aListIsFilteredByNamePrefixAndPaged() {
        running("page", agentFiles.url(), agentFiles);
        for (int i = 0; i < 5; i++) {
            agentFiles.put("page-job", "t", "part-" + i + ".txt", new byte[] {(byte) i});
        }
        agentFiles.put("page-job", "t", "stdout.txt", new byte[0]);

        JsonNode first = json(expect(http.call("GET", "/jobs/page-job/tasks/t/files")
                .query("$filter", "startswith(name,'part-')").query("maxresults", "3").send(), 200));
        assertThat(names(first)).containsExactly("part-0.txt", "part-1.txt", "part-2.txt");
        String next = first.path("odata.nextLink").asText();
        assertThat(next).contains("$skiptoken=");
        String path = next.substring(service.endpoint().length(), next.indexOf('?'));
        String query = next.substring(next.indexOf('?') + 1);
        SignedHttp.Call call = http.call("GET", path);
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            call.query(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        JsonNode second = json(expect(call.send(), 200));

        assertThat(names(second)).containsExactly("part-3.txt", "part-4.txt");
        assertThat(second.has("odata.nextLink")).isFalse();
        HttpResponse<String> badFilter = http.call("GET", "/jobs/page-job/tasks/t/files")
                .query("$filter", "name eq 'x'").send();
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.body()).contains("InvalidQueryParameterValue");
    }

    @Test
    void aFileIsReadWholeOrByRangeWithTheBatchHeaders() {
        running("read", agentFiles.url(), agentFiles);
        stdFiles("read-job");

        HttpResponse<String> whole = expect(http.send("GET", "/jobs/read-job/tasks/t/files/stdout.txt", null), 200);
        HttpResponse<String> range = expect(http.send("GET", "/jobs/read-job/tasks/t/files/wd/out%20put.txt", null,
                "ocp-range", "bytes=2-5"), 200);

        assertThat(whole.body()).isEqualTo("hello, world\n");
        assertThat(whole.headers().firstValue("Content-Length")).hasValue("13");
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(whole.headers().firstValue("ocp-batch-file-isdirectory")).hasValue("false");
        assertThat(whole.headers().firstValue("ocp-batch-file-mode")).hasValue("100644");
        assertThat(whole.headers().firstValue("ocp-batch-file-url"))
                .hasValue(service.endpoint() + "/jobs/read-job/tasks/t/files/stdout.txt");
        assertThat(whole.headers().firstValue("Last-Modified")).hasValue("Fri, 1 May 2026 10:00:00 GMT");
        assertThat(whole.headers().firstValue("ocp-creation-time")).hasValue("Fri, 1 May 2026 09:59:00 GMT");
        assertThat(whole.headers().firstValue("request-id")).isPresent();
        assertThat(range.body()).as("a range is answered 200, as the spec defines").isEqualTo("2345");
        assertThat(range.headers().firstValue("Content-Length")).hasValue("4");
        assertThat(agentFiles.requests()).contains("GET /agent/files/jobs/read-job/tasks/t/files/wd/out%20put.txt");
    }

    @Test
    void headAnswersTheHeadersOnlyAndConditionsApply() {
        running("head", agentFiles.url(), agentFiles);
        stdFiles("head-job");

        HttpResponse<String> head = expect(http.send("HEAD", "/jobs/head-job/tasks/t/files/stdout.txt", null), 200);
        HttpResponse<String> notModified = http.send("GET", "/jobs/head-job/tasks/t/files/stdout.txt", null,
                "If-Modified-Since", "Sat, 02 May 2026 00:00:00 GMT");
        HttpResponse<String> modified = http.send("GET", "/jobs/head-job/tasks/t/files/stdout.txt", null,
                "If-Modified-Since", "Thu, 30 Apr 2026 00:00:00 GMT");

        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue("13");
        assertThat(head.headers().firstValue("ocp-batch-file-isdirectory")).hasValue("false");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(modified.statusCode()).isEqualTo(200);
    }

    @Test
    void aDeletedFileIsGoneAndADirectoryNeedsRecursive() {
        running("del", agentFiles.url(), agentFiles);
        stdFiles("del-job");

        expect(http.send("DELETE", "/jobs/del-job/tasks/t/files/stdout.txt", null), 200);
        HttpResponse<String> gone = http.send("GET", "/jobs/del-job/tasks/t/files/stdout.txt", null);
        HttpResponse<String> notEmpty = http.send("DELETE", "/jobs/del-job/tasks/t/files/wd", null);
        HttpResponse<String> recursive = http.call("DELETE", "/jobs/del-job/tasks/t/files/wd")
                .query("recursive", "true").send();

        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("FileNotFound");
        assertThat(notEmpty.statusCode()).isEqualTo(409);
        assertThat(notEmpty.body()).contains("OperationInvalidForCurrentState");
        assertThat(recursive.statusCode()).isEqualTo(200);
        assertThat(names(json(expect(http.call("GET", "/jobs/del-job/tasks/t/files").query("recursive", "true")
                .send(), 200)))).containsExactly("stderr.txt");
    }

    @Test
    void theAgentsRefusalsKeepTheirBatchCodes() {
        running("refuse", agentFiles.url(), agentFiles);
        agentFiles.put("refuse-job", "t", "stdout.txt", new byte[] {1, 2, 3});

        HttpResponse<String> pastTheEnd = http.send("GET", "/jobs/refuse-job/tasks/t/files/stdout.txt", null,
                "ocp-range", "bytes=10-20");
        HttpResponse<String> badRange = http.send("GET", "/jobs/refuse-job/tasks/t/files/stdout.txt", null,
                "ocp-range", "lines=1-2");
        HttpResponse<String> missingHead = http.send("HEAD", "/jobs/refuse-job/tasks/t/files/nope.txt", null);
        agentFiles.cleanUp("refuse-job", "t");
        HttpResponse<String> cleaned = http.send("GET", "/jobs/refuse-job/tasks/t/files", null);

        assertThat(pastTheEnd.statusCode()).isEqualTo(416);
        assertThat(pastTheEnd.body()).contains("InvalidRange");
        assertThat(badRange.statusCode()).isEqualTo(400);
        assertThat(badRange.body()).contains("InvalidHeaderValue");
        assertThat(missingHead.statusCode()).isEqualTo(404);
        assertThat(cleaned.statusCode()).isEqualTo(409);
        assertThat(cleaned.body()).contains("TaskFilesCleanedup");
    }

    @Test
    void aTaskThatIsActiveOrMissingHasNoFiles() {
        expect(http.send("POST", "/jobs", "{\"id\":\"idle-job\",\"poolInfo\":{\"poolId\":\"idle-pool\"}}"), 201);
        expect(http.send("POST", "/jobs/idle-job/tasks", "{\"id\":\"t\",\"commandLine\":\"/bin/true\"}"), 201);

        HttpResponse<String> active = http.send("GET", "/jobs/idle-job/tasks/t/files", null);
        HttpResponse<String> noTask = http.send("GET", "/jobs/idle-job/tasks/nope/files/stdout.txt", null);
        HttpResponse<String> noJob = http.send("HEAD", "/jobs/no-such-job/tasks/t/files/stdout.txt", null);
        expect(http.send("POST", "/jobs/idle-job/tasks/t/terminate", null), 204);
        HttpResponse<String> neverRan = http.send("GET", "/jobs/idle-job/tasks/t/files", null);

        assertThat(active.statusCode()).isEqualTo(409);
        assertThat(active.body()).contains("OperationInvalidForCurrentState").contains("still active");
        assertThat(noTask.statusCode()).isEqualTo(404);
        assertThat(noTask.body()).contains("TaskNotFound");
        assertThat(noJob.statusCode()).isEqualTo(404);
        assertThat(neverRan.statusCode()).isEqualTo(409);
        assertThat(neverRan.body()).contains("TaskFilesUnavailable");
    }

    @Test
    void anAgentThatCannotBeReachedOrRefusesTheKeyIsTaskFilesUnavailable() throws Exception {
        running("unreachable", "http://127.0.0.1:1/files", null);
        running("nokey", agentFiles.url(), null); // the fake keeps the key of another node
        running("nofiles", null, null);

        HttpResponse<String> unreachable = http.send("GET", "/jobs/unreachable-job/tasks/t/files", null);
        HttpResponse<String> wrongKey = http.send("GET", "/jobs/nokey-job/tasks/t/files", null);
        HttpResponse<String> noFiles = http.send("GET", "/jobs/nofiles-job/tasks/t/files/stdout.txt", null);

        for (HttpResponse<String> response : List.of(unreachable, wrongKey, noFiles)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
            assertThat(response.body()).contains("TaskFilesUnavailable").doesNotContain("Exception");
        }
    }

    @Test
    void theOfficialJavaSdkListsReadsDescribesAndDeletesTaskFiles() throws Exception {
        running("sdk", agentFiles.url(), agentFiles);
        stdFiles("sdk-job");
        byte[] large = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(large);
        agentFiles.put("sdk-job", "t", "wd/large.bin", large);
        BatchClient batch = service.officialClient();

        List<NodeFile> listed = batch.fileOperations().listFilesFromTask("sdk-job", "t", true, null);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        batch.fileOperations().getFileFromTask("sdk-job", "t", "stdout.txt", stdout);
        ByteArrayOutputStream nested = new ByteArrayOutputStream();
        batch.fileOperations().getFileFromTask("sdk-job", "t", "wd/large.bin", nested);
        FileProperties properties = batch.fileOperations().getFilePropertiesFromTask("sdk-job", "t", "wd/large.bin");
        batch.fileOperations().deleteFileFromTask("sdk-job", "t", "stdout.txt");

        assertThat(listed).extracting(NodeFile::name)
                .containsExactly("stderr.txt", "stdout.txt", "wd", "wd/large.bin", "wd/out put.txt");
        assertThat(listed.get(1).properties().contentLength()).isEqualTo(13);
        assertThat(listed.get(1).url()).endsWith("/jobs/sdk-job/tasks/t/files/stdout.txt");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("hello, world\n");
        assertThat(nested.toByteArray()).isEqualTo(large);
        assertThat(properties.contentLength()).isEqualTo(large.length);
        assertThat(properties.fileMode()).isEqualTo("100644");
        assertThat(properties.lastModified().getMillis())
                .isEqualTo(java.time.Instant.parse("2026-05-01T10:00:00Z").toEpochMilli());
        assertThatThrownBy(() -> batch.fileOperations().getFileFromTask("sdk-job", "t", "stdout.txt",
                new ByteArrayOutputStream())).isInstanceOfSatisfying(BatchErrorException.class,
                        e -> assertThat(e.body().code()).isEqualTo("FileNotFound"));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new java.util.ArrayList<>();
        list.path("value").forEach(file -> names.add(file.path("name").asText()));
        return names;
    }
}
