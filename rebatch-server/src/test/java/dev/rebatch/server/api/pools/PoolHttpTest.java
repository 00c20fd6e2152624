package dev.rebatch.server.api.pools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.TestService;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pool behaviour the SDK hides (status codes, empty bodies, error codes), over signed plain HTTP. Allocation
 * completes at once today, so "resizing" and "deleting" pools are put in place through the store, standing in for
 * the node allocator and the background delete of the execution issue.
 */
class PoolHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static TestService service;
    static SignedHttp http;

    @BeforeAll
    static void start() {
        service = new TestService(dataDir);
        http = service.http();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static void create(String poolId) throws Exception {
        assertThat(http.send("POST", "/pools", addBody(poolId)).statusCode()).isEqualTo(201);
    }

    private static String addBody(String poolId) {
        return "{\"id\":\"" + poolId + "\",\"vmSize\":\"standard_d2s_v3\",\"targetDedicatedNodes\":1}";
    }

    private static JsonNode get(String poolId) throws Exception {
        HttpResponse<String> response = http.send("GET", "/pools/" + poolId, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String errorCode(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("code").asText();
    }

    /** Rewrites the stored pool as the future allocator or delete would leave it. */
    private static void putInStore(String poolId, String state, String allocationState) {
        ResourceKey key = ResourceKey.topLevel(TestService.ACCOUNT, ResourceKind.POOL, poolId);
        StoredResource pool = service.store().find(key).orElseThrow();
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(pool.body());
            body.put("allocationState", allocationState);
            service.store().update(new StoredResource(key, state, JSON.writeValueAsString(body), pool.version(),
                    pool.creationTime(), pool.lastModified(), pool.stateTransitionTime(), null, null,
                    pool.createRequestId()));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void headAnswers200Or404WithNoBody() throws Exception {
        create("pool-head");

        HttpResponse<String> present = http.send("HEAD", "/pools/pool-head", null);
        assertThat(present.statusCode()).isEqualTo(200);
        assertThat(present.body()).isEmpty();
        assertThat(present.headers().firstValue("ETag")).isPresent();

        HttpResponse<String> absent = http.send("HEAD", "/pools/no-such-pool", null);
        assertThat(absent.statusCode()).isEqualTo(404);
        assertThat(absent.body()).isEmpty();
    }

    @Test
    void headAndGetHonourConditionalHeaders() throws Exception {
        create("pool-conditional");
        String etag = http.send("HEAD", "/pools/pool-conditional", null).headers().firstValue("ETag").orElseThrow();

        assertThat(http.send("HEAD", "/pools/pool-conditional", null, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(http.send("HEAD", "/pools/pool-conditional", null, "If-Match", "0x1").statusCode()).isEqualTo(412);
        assertThat(http.send("GET", "/pools/pool-conditional", null, "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void aWriteAgainstAStaleETagChangesNothing() throws Exception {
        create("pool-stale");
        String etag = http.send("HEAD", "/pools/pool-stale", null).headers().firstValue("ETag").orElseThrow();
        assertThat(http.send("PATCH", "/pools/pool-stale", "{\"displayName\":\"first\"}", "If-Match", etag)
                .statusCode()).isEqualTo(200);

        HttpResponse<String> stale = http.send("POST", "/pools/pool-stale/resize", "{\"targetDedicatedNodes\":5}",
                "If-Match", etag);

        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(errorCode(stale)).isEqualTo("ConditionNotMet");
        assertThat(get("pool-stale").path("targetDedicatedNodes").asInt()).isEqualTo(1);
    }

    @Test
    void aResizingPoolRefusesAnotherResizeUntilStopped() throws Exception {
        create("pool-resizing");
        putInStore("pool-resizing", "active", "resizing");

        HttpResponse<String> second = http.send("POST", "/pools/pool-resizing/resize", "{\"targetDedicatedNodes\":3}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(errorCode(second)).isEqualTo("PoolBeingResized");

        assertThat(http.send("POST", "/pools/pool-resizing/stopresize", null).statusCode()).isEqualTo(202);
        assertThat(get("pool-resizing").path("allocationState").asText()).isEqualTo("steady");
        assertThat(http.send("POST", "/pools/pool-resizing/resize", "{\"targetDedicatedNodes\":3}").statusCode())
                .isEqualTo(202);
        assertThat(get("pool-resizing").path("targetDedicatedNodes").asInt()).isEqualTo(3);
    }

    @Test
    void aDeletingPoolRefusesEveryChange() throws Exception {
        create("pool-deleting");
        putInStore("pool-deleting", "deleting", "steady");

        for (String[] request : new String[][] {
                {"POST", "/pools/pool-deleting/resize", "{\"targetDedicatedNodes\":3}"},
                {"PATCH", "/pools/pool-deleting", "{\"displayName\":\"x\"}"},
                {"POST", "/pools/pool-deleting/updateproperties",
                        "{\"certificateReferences\":[],\"applicationPackageReferences\":[],\"metadata\":[]}"},
                {"DELETE", "/pools/pool-deleting", null}}) {
            HttpResponse<String> refused = http.send(request[0], request[1], request[2]);
            assertThat(refused.statusCode()).as(request[0] + " " + request[1]).isEqualTo(409);
            assertThat(errorCode(refused)).as(request[0] + " " + request[1]).isEqualTo("PoolBeingDeleted");
        }
    }

    @Test
    void aRetriedCreateWithTheSameClientRequestIdReplaysItsSuccess() throws Exception {
        String requestId = UUID.randomUUID().toString();
        assertThat(http.send("POST", "/pools", addBody("pool-retried"), "client-request-id", requestId).statusCode())
                .isEqualTo(201);

        assertThat(http.send("POST", "/pools", addBody("pool-retried"), "client-request-id", requestId).statusCode())
                .isEqualTo(201);
        HttpResponse<String> other = http.send("POST", "/pools", addBody("pool-retried"), "client-request-id",
                UUID.randomUUID().toString());
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(errorCode(other)).isEqualTo("PoolExists");
    }

    @Test
    void addBodiesAreCheckedAgainstTheSpec() throws Exception {
        HttpResponse<String> unknown = http.send("POST", "/pools",
                "{\"id\":\"p1\",\"vmSize\":\"s\",\"cloudServiceConfiguration\":{}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(errorCode(unknown)).isEqualTo("UnsupportedProperty");

        HttpResponse<String> noSize = http.send("POST", "/pools", "{\"id\":\"p1\"}");
        assertThat(errorCode(noSize)).isEqualTo("MissingRequiredProperty");

        HttpResponse<String> negative = http.send("POST", "/pools",
                "{\"id\":\"p1\",\"vmSize\":\"s\",\"targetLowPriorityNodes\":-1}");
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(errorCode(negative)).isEqualTo("InvalidPropertyValue");

        HttpResponse<String> noSlots = http.send("POST", "/pools", "{\"id\":\"p1\",\"vmSize\":\"s\",\"taskSlotsPerNode\":0}");
        assertThat(errorCode(noSlots)).isEqualTo("InvalidPropertyValue");

        HttpResponse<String> badId = http.send("POST", "/pools", "{\"id\":\"no spaces\",\"vmSize\":\"s\"}");
        assertThat(errorCode(badId)).isEqualTo("InvalidPropertyValue");
        assertThat(http.send("HEAD", "/pools/p1", null).statusCode()).as("nothing was stored").isEqualTo(404);
    }
}
