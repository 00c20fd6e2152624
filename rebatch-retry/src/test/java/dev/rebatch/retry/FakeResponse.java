package dev.rebatch.retry;

import dev.rebatch.retry.classify.HttpFailure;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** An HTTP error response as the SDK would throw it, for scripting attempts in tests. */
final class FakeResponse extends RuntimeException implements HttpFailure {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    FakeResponse(int status, String code) {
        super(status + " " + code, null, false, false);
        this.status = status;
        this.code = code;
    }

    static FakeResponse internalError() {
        return new FakeResponse(500, "InternalError");
    }

    static FakeResponse serverBusy(String retryAfter) {
        return new FakeResponse(503, "ServerBusy").withHeader("Retry-After", retryAfter);
    }

    static FakeResponse tooManyRequests(String retryAfter) {
        return new FakeResponse(429, "TooManyRequests").withHeader("Retry-After", retryAfter);
    }

    FakeResponse withHeader(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
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
