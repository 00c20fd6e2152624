package dev.rebatch.client.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.model.BatchError;
import dev.rebatch.retry.Attempt;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one attempt of a Batch request with the JDK HttpClient: adds the api-version, ocp-date, the operation's
 * client-request-id and the Shared Key signature, applies the attempt's timeout, and turns an error answer into an
 * {@link ErrorResponse}. Network failures propagate as the HttpClient throws them, so that the retry core classifies
 * them (refused connection: not sent; timeout or reset: unknown outcome).
 */
public final class BatchTransport {

    static final String JSON = "application/json; odata=minimalmetadata; charset=utf-8";

    private final HttpClient http;
    private final URI endpoint;
    private final String apiVersion;
    private final SharedKeyCredentials credentials;
    private final Clock clock;
    private final ObjectMapper json;

    /**
     * @param endpoint the account endpoint, such as {@code http://127.0.0.1:8070} or
     *                 {@code https://account.region.batch.azure.com}
     * @param clock    the clock for ocp-date (the service refuses dates more than 15 minutes off)
     */
    public BatchTransport(HttpClient http, URI endpoint, String apiVersion, SharedKeyCredentials credentials,
            Clock clock, ObjectMapper json) {
        this.http = Objects.requireNonNull(http, "http");
        this.endpoint = withoutTrailingSlash(Objects.requireNonNull(endpoint, "endpoint"));
        this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.json = Objects.requireNonNull(json, "json");
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Sends {@code request} as attempt {@code attempt}.
     *
     * @return the answer when its status is 2xx or 304
     * @throws ErrorResponse when the service answered with any other status
     * @throws IOException when no answer arrived (the retry core classifies which kind)
     */
    public BatchResponse send(BatchRequest request, Attempt attempt) throws IOException, InterruptedException,
            ErrorResponse {
        String rawQuery = rawQuery(request);
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.put("ocp-date", DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atOffset(ZoneOffset.UTC)));
        headers.put("client-request-id", attempt.operationId());
        headers.put("return-client-request-id", "true");
        byte[] body = request.body();
        if (body != null) {
            headers.put("Content-Type", JSON);
        }
        headers.put("Authorization", credentials.authorization(request.method(), request.path(), rawQuery, headers,
                body == null ? 0 : body.length));

        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint + request.path() + "?" + rawQuery))
                .method(request.method(), body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        builder.header("Accept", "application/json");
        attempt.timeout().ifPresent(builder::timeout);

        HttpResponse<byte[]> response = exchange(builder.build(), attempt.timeout().orElse(null));
        int status = response.statusCode();
        if (status / 100 == 2 || status == 304) {
            return new BatchResponse(status, response.headers(), response.body());
        }
        throw new ErrorResponse(status, parseError(response.body()), response.headers());
    }

    /**
     * Sends the request and waits for the whole answer, at most {@code timeout}. HttpRequest.timeout alone is not
     * enough: the JDK cancels its timer once the response headers arrive, so an answer whose body stalls (a proxy,
     * a connection lost mid-body) would block the attempt until the connection breaks, however long that takes.
     * Waiting for the whole exchange here makes the attempt timeout bound the body too.
     */
    private HttpResponse<byte[]> exchange(HttpRequest request, Duration timeout) throws IOException,
            InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            return timeout == null ? exchange.get() : exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException stalled) {
            exchange.cancel(true); // aborts the exchange and closes its connection
            throw new HttpTimeoutException("No complete answer within the attempt timeout of " + timeout.toMillis()
                    + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException failed) {
            // Rethrow what HttpClient failed with, so that the retry core classifies it as it would from send().
            Throwable cause = failed.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /** The OData error body, or an empty error when the body is not one (a proxy's page, an empty 503). */
    private BatchError parseError(byte[] body) {
        if (body != null && body.length > 0) {
            try {
                return json.readValue(body, BatchError.class);
            } catch (IOException notBatchJson) {
                // fall through: the status alone still classifies the answer
            }
        }
        return new BatchError(null, null, null, null);
    }

    private String rawQuery(BatchRequest request) {
        StringJoiner query = new StringJoiner("&");
        query.add("api-version=" + encode(apiVersion));
        request.query().forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
        return query.toString();
    }

    /** Percent-encodes a query component; spaces as %20, because the service decodes '+' as a space too. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }
}
