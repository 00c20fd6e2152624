package dev.rebatch.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.ApiVersion;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's protective pieces on a real Javalin (Jetty 12) server, wired as RebatchServer wires them, with a
 * stub authenticator in place of Shared Key and no store.
 */
class RequestPipelineEndToEndTest {

    private static final String ETAG = "0x8D4100FC49F0278";
    private static final Instant LAST_MODIFIED = Instant.parse("2025-03-01T12:00:00Z");

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicLong nanos = new AtomicLong();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch letGo = new CountDownLatch(1);
    private Javalin app;

    @AfterEach
    void stop() {
        letGo.countDown();
        if (app != null) {
            app.stop();
        }
    }

    private void start(AccountThrottle throttle, LoadShedder shedder) {
        RequestAuthenticator authenticator = (ctx, body) -> {
            String account = ctx.header("x-test-account");
            return account == null ? "alpha" : account;
        };
        RequestPipeline pipeline = new RequestPipeline(authenticator, throttle, shedder,
                Clock.fixed(Instant.parse("2025-03-01T12:30:00Z"), ZoneOffset.UTC), OperationCatalog.load());
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.before(pipeline::handle);
            config.routes.after(pipeline::finish);
            config.routes.get("/jobs", ctx -> ctx.result("ok"));
            config.routes.get("/boom", ctx -> {
                throw new IllegalStateException("a bug in an operation");
            });
            config.routes.get("/error", ctx -> {
                throw new AssertionError("a java.lang.Error in an operation");
            });
            config.routes.get("/hold", ctx -> {
                holding.countDown();
                letGo.await(10, TimeUnit.SECONDS);
                ctx.result("held");
            });
            config.routes.get("/conditional", ctx -> {
                Preconditions.of(ctx).enforce(ETAG, LAST_MODIFIED);
                ctx.result("fresh");
            });
            config.routes.exception(BatchException.class, (refusal, ctx) -> ErrorResponses.render(ctx, refusal));
            config.routes.exception(NotModified.class, (unchanged, ctx) -> unchanged.render(ctx));
            config.routes.exception(Exception.class, (failure, ctx) -> ErrorResponses.renderUnexpected(ctx, failure));
        }).start("127.0.0.1", 0);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path
                + (path.contains("?") ? "&" : "?") + "api-version=" + ApiVersion.SUPPORTED.get(0)));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder builder = request(path);
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertBatchError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json;odata=minimalmetadata"));
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("odata.metadata").asText())
                .endsWith("/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element");
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").path("lang").asText()).isEqualTo("en-US");
        String requestId = response.headers().firstValue("request-id").orElseThrow();
        assertThat(body.path("message").path("value").asText())
                .contains("\nRequestId:" + requestId + "\nTime:2025-03-01T12:30:00.0000000Z");
    }

    private static AccountThrottle generousThrottle() {
        return new AccountThrottle(AccountThrottle.DEFAULT_CLIENT_RATE, AccountThrottle.DEFAULT_NODE_AGENT_RATE);
    }

    @Test
    void anEmptyBucketIsAnsweredWith429TooManyRequestsAndRetryAfter() throws Exception {
        start(new AccountThrottle(new AccountThrottle.Rate(0.5, 2), new AccountThrottle.Rate(1, 1), nanos::get),
                new LoadShedder(8));
        assertThat(get("/jobs").statusCode()).isEqualTo(200);
        assertThat(get("/jobs").statusCode()).isEqualTo(200);

        HttpResponse<String> throttled = get("/jobs");
        assertBatchError(throttled, 429, "TooManyRequests");
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(Json.MAPPER.readTree(throttled.body()).path("message").path("value").asText())
                .startsWith("Request failed as server encountered too many requests. Please try again.");

        assertThat(get("/jobs", "x-test-account", "beta").statusCode()).isEqualTo(200); // another account's bucket
        nanos.addAndGet(2_000_000_000L);
        assertThat(get("/jobs").statusCode()).isEqualTo(200); // after Retry-After, a permit
    }

    @Test
    void requestsBeyondTheLimitInFlightAreAnswered503ServerBusyAtOnce() throws Exception {
        LoadShedder shedder = new LoadShedder(1);
        start(generousThrottle(), shedder);
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(request("/hold").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(shedder.inFlight()).isEqualTo(1);

        HttpResponse<String> shed = get("/jobs");
        assertBatchError(shed, 503, "ServerBusy");
        assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");

        letGo.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(get("/jobs").statusCode()).isEqualTo(200);
        assertThat(shedder.inFlight()).isZero();
    }

    @Test
    void anOverloadedStoreIsAnswered503ServerBusy() throws Exception {
        AtomicBoolean saturated = new AtomicBoolean(true);
        start(generousThrottle(), new LoadShedder(8, saturated::get));
        HttpResponse<String> shed = get("/jobs");
        assertBatchError(shed, 503, "ServerBusy");
        assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
        saturated.set(false);
        assertThat(get("/jobs").statusCode()).isEqualTo(200);
    }

    /**
     * The permit is released however the request ended: refused in the pipeline, failed in the operation (an
     * exception or a java.lang.Error), not routed, or fine. Javalin runs after-handlers in all of these cases; this
     * test is what notices if an upgrade changes that.
     */
    @Test
    void everyRequestReleasesItsPermitExactlyOnce() throws Exception {
        LoadShedder shedder = new LoadShedder(2);
        start(new AccountThrottle(new AccountThrottle.Rate(1, 1), new AccountThrottle.Rate(1, 1), nanos::get), shedder);
        assertThat(get("/jobs").statusCode()).isEqualTo(200);
        assertBatchError(get("/jobs"), 429, "TooManyRequests");
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/jobs")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400); // no api-version
        nanos.addAndGet(1_000_000_000L);
        assertBatchError(get("/boom"), 500, "InternalError");
        nanos.addAndGet(1_000_000_000L);
        assertThat(get("/error").statusCode()).isEqualTo(500);
        nanos.addAndGet(1_000_000_000L);
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
        assertThat(shedder.inFlight()).isZero();
    }

    @Test
    void anUnchangedResourceIsAnswered304WithItsValidatorsAndNoBody() throws Exception {
        start(generousThrottle(), new LoadShedder(8));
        HttpResponse<String> unchanged = get("/conditional", "If-None-Match", "\"" + ETAG + "\"");
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).hasValue(ETAG);
        assertThat(unchanged.headers().firstValue("Last-Modified")).hasValue("Sat, 1 Mar 2025 12:00:00 GMT");
        assertThat(unchanged.headers().firstValue("request-id")).isPresent();

        assertThat(get("/conditional", "If-Modified-Since", "Fri, 28 Feb 2025 12:00:00 GMT").body()).isEqualTo("fresh");
        assertBatchError(get("/conditional", "If-Match", "0x1"), 412, "ConditionNotMet");
        assertBatchError(get("/conditional", "If-Match", ETAG, "If-None-Match", ETAG), 400,
                "MultipleConditionHeadersNotSupported");
        assertBatchError(get("/conditional", "If-Unmodified-Since", "soon"), 400, "InvalidHeaderValue");
    }
}
