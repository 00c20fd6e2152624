package dev.rebatch.server.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.model.ApiVersion;
import dev.rebatch.server.RebatchServer;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ListQuery;
import dev.rebatch.server.store.Page;
import dev.rebatch.server.store.ResourceExistsException;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StaleVersionException;
import dev.rebatch.server.store.StoredResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Conditional headers on the job routes, through the whole server with an in-memory store standing in. */
class JobConditionalRequestsTest {

    private final MemoryStore store = new MemoryStore();
    private final HttpClient client = HttpClient.newHttpClient();
    private RebatchServer server;

    @BeforeEach
    void start() throws Exception {
        server = RebatchServer.start("127.0.0.1", 0, store, (ctx, body) -> "alpha", Clock.systemUTC());
        HttpResponse<String> created = send("POST", "/jobs", "{\"id\":\"job1\",\"poolInfo\":{\"poolId\":\"p\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
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

    /** Just enough of a store for the job routes: versioned insert, find and update. */
    private static final class MemoryStore implements BatchStore {

        final AtomicReference<Runnable> beforeNextUpdate = new AtomicReference<>();
        private final Map<String, StoredResource> resources = new ConcurrentHashMap<>();

        private static String id(ResourceKey key) {
            return key.account() + "/" + key.kind() + "/" + key.parentKey() + "/" + key.idKey();
        }

        @Override
        public synchronized StoredResource insert(StoredResource resource) {
            StoredResource existing = resources.putIfAbsent(id(resource.key()), resource);
            if (existing != null) {
                throw new ResourceExistsException(existing);
            }
            return resource;
        }

        @Override
        public Optional<StoredResource> find(ResourceKey key) {
            return Optional.ofNullable(resources.get(id(key)));
        }

        @Override
        public StoredResource update(StoredResource resource) {
            Runnable racer = beforeNextUpdate.getAndSet(null);
            if (racer != null) {
                racer.run();
            }
            synchronized (this) {
                StoredResource stored = resources.get(id(resource.key()));
                if (stored == null || stored.version() != resource.version()) {
                    throw new StaleVersionException(resource.key(), resource.version());
                }
                StoredResource next = new StoredResource(resource.key(), resource.state(), resource.body(),
                        resource.version() + 1, resource.creationTime(), resource.lastModified(),
                        resource.stateTransitionTime(), resource.exitCode(), resource.executionResult(),
                        resource.createRequestId());
                resources.put(id(resource.key()), next);
                return next;
            }
        }

        @Override
        public boolean delete(ResourceKey key) {
            return resources.remove(id(key)) != null;
        }

        @Override
        public List<InsertOutcome> insertAll(List<StoredResource> batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Page list(ListQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Long> countByState(String account, ResourceKind kind, String parentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Long> countByResult(String account, ResourceKind kind, String parentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }
}
