package dev.rebatch.retry;

import dev.rebatch.retry.classify.HttpFailure;
import java.util.Map;
import java.util.TreeMap;

/** An HTTP error response as the SDK's Batch error exception carries it, for scripting attempts in tests. */
public final class FakeResponse extends RuntimeException implements HttpFailure {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public FakeResponse(int status, String code) {
        this(status, code, Map.of());
    }

    public FakeResponse(int status, String code, Map<String, String> headers) {
        super("HTTP " + status + (code == null ? "" : " " + code));
        this.status = status;
        this.code = code;
        this.headers.putAll(headers);
    }

    /** A 503 ServerBusy with these headers. */
    public static FakeResponse withHeaders(Map<String, String> headers) {
        return new FakeResponse(503, "ServerBusy", headers);
    }

    public static FakeResponse internalError() {
        return new FakeResponse(500, "InternalError");
    }

    public static FakeResponse serverBusy(String retryAfter) {
        return new FakeResponse(503, "ServerBusy").withHeader("Retry-After", retryAfter);
    }

    public static FakeResponse tooManyRequests(String retryAfter) {
        return new FakeResponse(429, "TooManyRequests").withHeader("Retry-After", retryAfter);
    }

    public FakeResponse withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    @Override
    public int statusCode() {
        return status;
    }

    @Override
    public String errorCode() {
        return code;
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }
}
