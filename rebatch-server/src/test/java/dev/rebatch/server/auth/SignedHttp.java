package dev.rebatch.server.auth;

import dev.rebatch.model.ApiVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Raw HTTP against the running service with the JDK client, each request Shared-Key signed as the .NET client signs
 * it ({@link ClientSigners#dotNet}), so tests can send what no SDK would: malformed bodies, odd headers, chunked
 * uploads, unknown query parameters.
 */
public final class SignedHttp {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String endpoint;
    private final String account;
    private final String key;

    public SignedHttp(String endpoint, String account, String key) {
        this.endpoint = endpoint;
        this.account = account;
        this.key = key;
    }

    /** A request to {@code path} (already percent-encoded) with the current api-version in its query. */
    public Call call(String method, String path) {
        return new Call(method, path);
    }

    /** Sends {@code body} (null for none) with extra headers given as name, value, name, value..., signed. */
    public HttpResponse<String> send(String method, String path, String body, String... headerPairs) {
        Call call = call(method, path);
        if (body != null) {
            call.body(body);
        }
        for (int i = 0; i < headerPairs.length; i += 2) {
            call.header(headerPairs[i], headerPairs[i + 1]);
        }
        return call.send();
    }

    /** One request under construction; {@link #send()} signs and sends it. */
    public final class Call {

        private final String method;
        private final String path;
        private final Map<String, String> query = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private boolean chunked;
        private boolean signed = true;
        private java.time.Duration timeout;

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
            query.put("api-version", ApiVersion.V2024_07_01);
        }

        /** Sets a query parameter (decoded form); {@code null} removes it. */
        public Call query(String name, String value) {
            if (value == null) {
                query.remove(name);
            } else {
                query.put(name, value);
            }
            return this;
        }

        public Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Call body(String json) {
            this.body = json;
            headers.putIfAbsent("Content-Type", "application/json;odata=minimalmetadata");
            return this;
        }

        /** Sends the body chunked, without Content-Length. */
        public Call chunked() {
            this.chunked = true;
            return this;
        }

        /** Gives up (HttpTimeoutException, wrapped) when no response arrives within {@code limit}. */
        public Call timeout(java.time.Duration limit) {
            this.timeout = limit;
            return this;
        }

        /** Sends no Authorization header at all. */
        public Call unsigned() {
            this.signed = false;
            return this;
        }

        public HttpResponse<String> send() {
            Map<String, String> sent = new LinkedHashMap<>(headers);
            sent.putIfAbsent("ocp-date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
            ClientRequest request = new ClientRequest(method, path, query, sent, body);
            String queryString = request.encodedQuery();
            HttpRequest.Builder builder = HttpRequest.newBuilder(
                    URI.create(endpoint + path + (queryString.isEmpty() ? "" : "?" + queryString)));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                    : HttpRequest.BodyPublishers.ofByteArray(bytes);
            builder.method(method, publisher);
            sent.forEach(builder::header);
            if (timeout != null) {
                builder.timeout(timeout);
            }
            if (signed) {
                builder.header("Authorization", ClientSigners.dotNet(request, account, key));
            }
            try {
                return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
