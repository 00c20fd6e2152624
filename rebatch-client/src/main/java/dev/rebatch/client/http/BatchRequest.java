package dev.rebatch.client.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Batch REST request, before it is signed: the same request is sent again, unchanged, by every attempt of its
 * operation (only ocp-date and the signature are made per attempt).
 *
 * @param method  the HTTP method
 * @param path    the path below the account endpoint, already percent-encoded ({@code /jobs/job-1/tasks})
 * @param query   decoded query parameters other than api-version, in the order to send them
 * @param headers extra request headers (If-Match, ocp-range...)
 * @param body    the JSON body, or {@code null} for none
 */
public record BatchRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
        byte[] body) {

    public BatchRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static BatchRequest of(String method, String path) {
        return new BatchRequest(method, path, Map.of(), Map.of(), null);
    }

    /** A copy with one more query parameter; {@code null} values are left out. */
    public BatchRequest withQuery(String name, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, String> more = new LinkedHashMap<>(query);
        more.put(name, value.toString());
        return new BatchRequest(method, path, more, headers, body);
    }

    /** A copy with one more header; {@code null} values are left out. */
    public BatchRequest withHeader(String name, String value) {
        if (value == null) {
            return this;
        }
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new BatchRequest(method, path, query, more, body);
    }

    public BatchRequest withBody(byte[] json) {
        return new BatchRequest(method, path, query, headers, json);
    }

    /** A short description for logs and error messages: method and path. */
    public String describe() {
        return method + " " + path;
    }
}
