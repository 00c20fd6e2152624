package dev.rebatch.retry.classify;

import java.util.Map;
import java.util.TreeMap;

/** A test exception carrying an HTTP error response, as the SDK's Batch error exception does. */
final class FakeHttpFailure extends RuntimeException implements HttpFailure {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    FakeHttpFailure(int status, String code) {
        this(status, code, Map.of());
    }

    FakeHttpFailure(int status, String code, Map<String, String> headers) {
        super("HTTP " + status + (code == null ? "" : " " + code));
        this.status = status;
        this.code = code;
        this.headers.putAll(headers);
    }

    /** Headers only: status 503, code ServerBusy. */
    static FakeHttpFailure withHeaders(Map<String, String> headers) {
        return new FakeHttpFailure(503, "ServerBusy", headers);
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
