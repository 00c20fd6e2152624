package dev.rebatch.client.http;

import java.net.http.HttpHeaders;

/**
 * A successful (2xx or 304) answer to one attempt.
 *
 * @param status  the HTTP status
 * @param headers the response headers
 * @param body    the body bytes (empty when there is none)
 */
public record BatchResponse(int status, HttpHeaders headers, byte[] body) {

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }
}
