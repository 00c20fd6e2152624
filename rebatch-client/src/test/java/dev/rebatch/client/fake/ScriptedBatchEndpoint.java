package dev.rebatch.client.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake Batch endpoint that answers each request with the next scripted {@link Step}: an error with a Batch body,
 * a success, a dropped connection after "applying" the request, or a hang. It records every request, so a test can
 * assert exactly what the SDK sent. Real HTTP on a loopback port, so the SDK's real HttpClient meets real network
 * failures; only the waits between attempts are virtual.
 */
public final class ScriptedBatchEndpoint implements AutoCloseable {

    private final int port;
    private final Deque<Step> script = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
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

    /** Starts accepting connections. */
    public synchronized void listen() {
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

    /** Adds steps to the end of the script. */
    public synchronized ScriptedBatchEndpoint then(Step... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("client-request-id"),
                exchange.getRequestHeaders().getFirst("Authorization"), new String(body, StandardCharsets.UTF_8));
        Step step;
        synchronized (this) {
            requests.add(request);
            step = script.poll();
        }
        if (step == null) {
            step = Step.error(500, "InternalError", "The test script has no step for " + request.describe());
        }
        switch (step.kind()) {
            case RESPOND -> respond(exchange, step);
            case DROP -> exchange.close(); // closes the connection before any response byte: the response is lost
            case HANG -> {
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            }
        }
    }

    private static void respond(HttpExchange exchange, Step step) throws IOException {
        step.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("request-id", "00000000-0000-0000-0000-00000000000" + (step.status() % 10));
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

    /** One request as the endpoint received it. */
    public record RecordedRequest(String method, String path, String query, String clientRequestId,
            String authorization, String body) {
        public String describe() {
            return method + " " + path;
        }
    }

    /** What the endpoint does with one request. */
    public record Step(Kind kind, int status, Map<String, String> headers, String body) {

        public enum Kind { RESPOND, DROP, HANG }

        /** A Batch error answer with the OData body. */
        public static Step error(int status, String code, String message, String... headerPairs) {
            String body = "{\"odata.metadata\":\"https://x/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element\","
                    + "\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"" + message
                    + "\\nRequestId:00000000-0000-0000-0000-000000000000\\nTime:2026-11-25T00:00:00.0000000Z\"}}";
            return new Step(Kind.RESPOND, status, pairs(headerPairs), body);
        }

        /** A success answer with a JSON body, or none when {@code json} is null. */
        public static Step ok(int status, String json, String... headerPairs) {
            return new Step(Kind.RESPOND, status, pairs(headerPairs), json);
        }

        /** "Apply" the request (it is recorded) and close the connection without answering. */
        public static Step dropAfterApplying() {
            return new Step(Kind.DROP, 0, Map.of(), null);
        }

        /** Never answer (until the endpoint closes): the client's attempt timeout must end the attempt. */
        public static Step hang() {
            return new Step(Kind.HANG, 0, Map.of(), null);
        }

        private static Map<String, String> pairs(String... pairs) {
            Map<String, String> map = new java.util.LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                map.put(pairs[i], pairs[i + 1]);
            }
            return map;
        }
    }
}
