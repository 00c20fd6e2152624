package dev.rebatch.server.auth;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What Shared Key authentication needs of an HTTP request, independent of the HTTP framework.
 *
 * @param method the HTTP verb as received, e.g. {@code GET}
 * @param rawPath the path as on the wire, still percent-encoded (clients sign the encoded path), e.g.
 *     {@code /jobs/my%20job}; Jetty's {@code getRequestURI()} gives this, a decoded path would not do
 * @param rawQuery the query as on the wire without the {@code ?}, still percent-encoded; null or empty when none
 * @param headers the request headers (one value each); names are matched case-insensitively
 * @param bodyLength the number of body bytes received; clients sign the length of the body they send
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, String> headers,
                            long bodyLength) {

    public SignedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        if (bodyLength < 0) {
            throw new IllegalArgumentException("bodyLength " + bodyLength + " < 0");
        }
        SortedMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> {
            if (value != null) {
                copy.put(name, value);
            }
        });
        headers = Collections.unmodifiableSortedMap(copy);
    }

    /** The value of a header, matching the name case-insensitively; null when absent. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The same request with one header set (or removed when value is null); for tests and signers. */
    public SignedRequest withHeader(String name, String value) {
        SortedMap<String, String> changed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        changed.putAll(headers);
        if (value == null) {
            changed.remove(name);
        } else {
            changed.put(name, value);
        }
        return new SignedRequest(method, rawPath, rawQuery, changed, bodyLength);
    }
}
