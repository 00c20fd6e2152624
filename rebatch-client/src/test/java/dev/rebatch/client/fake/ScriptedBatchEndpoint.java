package dev.rebatch.client.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rebatch.model.BatchError;
import dev.rebatch.model.common.BatchJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake Batch endpoint that answers each request with the next scripted {@link Step}: an error with a Batch body,
 * a success, a dropped connection after "applying" the request, a hang, or an answer computed from the request. It
 * records every request (with all its headers), so a test can assert exactly what the SDK sent. Real HTTP on a
 * loopback port, so the SDK's real HttpClient meets real network failures; only the waits between attempts are
 * virtual.
 *
 * <p>When the script is used up, each further request gets the {@link #otherwise} answer (by default a 500 that
 * names the unscripted request, so a test that sends more than it scripted fails loudly).
 */
public final class ScriptedBatchEndpoint implements AutoCloseable {

    private final int port;
    private final Deque<Step> script = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private Function<RecordedRequest, Step> otherwise = request ->
            Step.error(500, "InternalError", "The test script has no step for " + request.describe());
    private int answered;
    private HttpServer server;

    private ScriptedBatchEndpoint(int port) {
        this.port = port;
    }

    /** An endpoint listening on a free loopback port. */
    public static ScriptedBatchEndpoint start() {
        ScriptedBatchEndpoint endpoint = new ScriptedBatchEndpoint(freePort());
        endpoint.listen();
        return endpoint;
    }

    /**
     * An endpoint whose port refuses connections until {@link #listen()} is called: the "connection refused" row.
     */
    public static ScriptedBatchEndpoint notListeningYet() {
        return new ScriptedBatchEndpoint(freePort());
    }

    /** Starts accepting connections; does nothing when already listening. */
    public synchronized void listen() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "scripted-batch-endpoint");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Adds steps to the end of the script. */
    public synchronized ScriptedBatchEndpoint then(Step... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    /** How to answer requests once the script is used up. */
    public synchronized ScriptedBatchEndpoint otherwise(Function<RecordedRequest, Step> responder) {
        this.otherwise = responder;
        return this;
    }

    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Steps not yet used: 0 when the SDK sent exactly what the test scripted. */
    public synchronized int remainingSteps() {
        return script.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        SortedMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
        Step step;
        RecordedRequest request;
        synchronized (this) {
            answered++;
            request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), Collections.unmodifiableSortedMap(headers),
                    new String(body, StandardCharsets.UTF_8), body.length,
                    String.format("00000000-0000-0000-0000-%012d", answered));
            requests.add(request);
            step = script.poll();
            if (step == null) {
                step = otherwise.apply(request);
            }
        }
        while (step.kind() == Step.Kind.COMPUTE) {
            step = step.responder().apply(request);
        }
        switch (step.kind()) {
            case RESPOND -> respond(exchange, step, request.serviceRequestId());
            case DROP -> exchange.close(); // closes the connection before any response byte: the response is lost
            case HANG -> {
                awaitRelease();
                exchange.close();
            }
            case STALL_BODY -> {
                stallMidBody(exchange, step, request.serviceRequestId());
                awaitRelease();
                exchange.close();
            }
            case COMPUTE -> throw new IllegalStateException("unreachable");
        }
    }

    /** Waits until the endpoint closes (at most 30 s): the client's attempt timeout must end the attempt first. */
    private void awaitRelease() {
        try {
            released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the status, the headers and the first half of the body, announcing all of it, and no more. */
    private static void stallMidBody(HttpExchange exchange, Step step, String requestId) throws IOException {
        byte[] bytes = step.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("request-id", requestId);
        exchange.getResponseHeaders().add("Content-Type", "application/json; odata=minimalmetadata");
        exchange.sendResponseHeaders(step.status(), bytes.length);
        exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
        exchange.getResponseBody().flush();
    }

    private static void respond(HttpExchange exchange, Step step, String requestId) throws IOException {
        step.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("request-id", requestId);
        byte[] bytes = step.body() == null ? new byte[0] : step.body().getBytes(StandardCharsets.UTF_8);
        if (step.body() != null) {
            exchange.getResponseHeaders().add("Content-Type", "application/json; odata=minimalmetadata");
        }
        exchange.sendResponseHeaders(step.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public synchronized void close() {
        released.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One request as the endpoint received it.
     *
     * @param headers          the request headers, first value of each, names matched case-insensitively
     * @param bodyLength       the number of body bytes received
     * @param serviceRequestId the request-id the endpoint answered with (unique per request), when it answered
     */
    public record RecordedRequest(String method, String path, String query, Map<String, String> headers,
            String body, long bodyLength, String serviceRequestId) {

        public String header(String name) {
            return headers.get(name);
        }

        public String clientRequestId() {
            return header("client-request-id");
        }

        public String authorization() {
            return header("Authorization");
        }

        /** "POST /jobs". */
        public String describe() {
            return method + " " + path;
        }
    }

    /** What the endpoint does with one request. */
    public record Step(Kind kind, int status, Map<String, String> headers, String body,
            Function<RecordedRequest, Step> responder) {

        public enum Kind { RESPOND, DROP, HANG, STALL_BODY, COMPUTE }

        /** A Batch error answer with the OData body. */
        public static Step error(int status, String code, String message, String... headerPairs) {
            return errorWithValues(status, code, message, Map.of()).withHeaders(headerPairs);
        }

        /** A Batch error answer whose body lists {@code values} (BatchErrorDetail key/value pairs, in order). */
        public static Step errorWithValues(int status, String code, String message, Map<String, String> values) {
            List<BatchError.Detail> details = new ArrayList<>();
            values.forEach((key, value) -> details.add(new BatchError.Detail(key, value)));
            BatchError error = new BatchError(
                    "https://account.region.batch.azure.com/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element",
                    code, new BatchError.ErrorMessage("en-US", message
                            + "\nRequestId:00000000-0000-0000-0000-000000000000\nTime:2026-01-01T00:00:00.0000000Z"),
                    details);
            try {
                return new Step(Kind.RESPOND, status, Map.of(), BatchJson.mapper().writeValueAsString(error), null);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A success answer with a JSON body, or none when {@code json} is null. */
        public static Step ok(int status, String json, String... headerPairs) {
            return new Step(Kind.RESPOND, status, Map.of(), json, null).withHeaders(headerPairs);
        }

        /** "Apply" the request (it is recorded) and close the connection without answering. */
        public static Step dropAfterApplying() {
            return new Step(Kind.DROP, 0, Map.of(), null, null);
        }

        /** Never answer (until the endpoint closes): the client's attempt timeout must end the attempt. */
        public static Step hang() {
            return new Step(Kind.HANG, 0, Map.of(), null, null);
        }

        /**
         * Answer with the status and headers and half of {@code json}, then send nothing more (until the endpoint
         * closes): a response that stalls mid-body.
         */
        public static Step stallMidBody(int status, String json) {
            return new Step(Kind.STALL_BODY, status, Map.of(), json, null);
        }

        /** The step {@code responder} chooses for the request, for answers that depend on what was sent. */
        public static Step computed(Function<RecordedRequest, Step> responder) {
            return new Step(Kind.COMPUTE, 0, Map.of(), null, responder);
        }

        /** This answer with one more response header. */
        public Step withHeader(String name, String value) {
            return withHeaders(name, value);
        }

        private Step withHeaders(String... pairs) {
            if (pairs.length % 2 != 0) {
                throw new IllegalArgumentException("header names and values come in pairs");
            }
            Map<String, String> more = new LinkedHashMap<>(headers);
            for (int i = 0; i < pairs.length; i += 2) {
                more.put(pairs[i], pairs[i + 1]);
            }
            return new Step(kind, status, more, body, responder);
        }
    }
}
