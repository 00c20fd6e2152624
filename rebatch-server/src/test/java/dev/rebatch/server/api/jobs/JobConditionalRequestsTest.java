package dev.rebatch.server.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.model.ApiVersion;
import dev.rebatch.server.RebatchServer;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import dev.rebatch.server.store.RacingStore;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.ListQuery;
import dev.rebatch.server.store.Page;
import dev.rebatch.server.store.ParentCondition;
import dev.rebatch.server.store.QueueFacts;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conditional headers on the job routes, through the whole server and the embedded store. */
class JobConditionalRequestsTest {

    @TempDir
    Path dataDir;
    private RacingStore store;
    private final HttpClient client = HttpClient.newHttpClient();
    private RebatchServer server;

    @BeforeEach
    void start() throws Exception {
        store = new RacingStore(BatchStores.open(null, dataDir));
        server = RebatchServer.start("127.0.0.1", 0, store, (ctx, body) -> "alpha", Clock.systemUTC());
        HttpResponse<String> created = send("POST", "/jobs", "{\"id\":\"job1\",\"poolInfo\":{\"poolId\":\"p\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path
                + "?api-version=" + ApiVersion.SUPPORTED.get(0)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json;odata=minimalmetadata");
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String etag() throws Exception {
        return send("GET", "/jobs/job1", null).headers().firstValue("ETag").orElseThrow();
    }

    @Test
    void getAnswers304WhenTheJobIsUnchanged() throws Exception {
        String etag = etag();
        HttpResponse<String> unchanged = send("GET", "/jobs/job1", null, "If-None-Match", "\"" + etag + "\"");
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);
        assertThat(send("GET", "/jobs/job1", null, "If-Match", "0x1").statusCode()).isEqualTo(412);
    }

    @Test
    void writesProceedOnlyAgainstTheVersionTheClientNamed() throws Exception {
        String etag = etag();
        assertThat(send("PATCH", "/jobs/job1", "{\"priority\":5}", "If-Match", "0x1").statusCode()).isEqualTo(412);
        assertThat(send("POST", "/jobs/job1/disable", "{\"disableTasks\":\"requeue\"}", "If-None-Match", etag)
                .statusCode()).isEqualTo(412);
        HttpResponse<String> patched = send("PATCH", "/jobs/job1", "{\"priority\":5}", "If-Match", etag);
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(patched.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(send("DELETE", "/jobs/job1", null, "If-Match", etag).statusCode()).isEqualTo(412);
    }

    @Test
    void aRacingWriterMakesAMatchingIfMatchFailOnTheRetry() throws Exception {
        String etag = etag();
        // Another writer changes the job between the route's read and its write: the write is stale, the route reads
        // again, and the client's If-Match no longer names the current version.
        store.beforeNextUpdate.set(() -> {
            StoredResource current = store.find(key()).orElseThrow();
            store.update(current);
        });
        assertThat(send("PATCH", "/jobs/job1", "{\"priority\":7}", "If-Match", etag).statusCode()).isEqualTo(412);
        assertThat(store.find(key()).orElseThrow().body()).doesNotContain("\"priority\":7");
    }

    private static ResourceKey key() {
        return ResourceKey.topLevel("alpha", ResourceKind.JOB, "job1");
    }
}
