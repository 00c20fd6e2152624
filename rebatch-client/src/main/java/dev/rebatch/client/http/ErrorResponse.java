package dev.rebatch.client.http;

import dev.rebatch.model.BatchError;
import dev.rebatch.retry.classify.HttpFailure;
import java.net.http.HttpHeaders;

/**
 * One attempt's error answer (status 4xx or 5xx). It is what the retry handler classifies, through
 * {@link HttpFailure}; when the handler gives up, the SDK turns the last one into a
 * {@link dev.rebatch.client.errors.BatchServiceException} that also carries every attempt.
 */
public final class ErrorResponse extends Exception implements HttpFailure {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final transient BatchError error;
    private final transient HttpHeaders headers;

    public ErrorResponse(int statusCode, BatchError error, HttpHeaders headers) {
        super(statusCode + (error.code() == null ? "" : " " + error.code()), null, false, false);
        this.statusCode = statusCode;
        this.error = error;
        this.headers = headers;
    }

    @Override
    public int statusCode() {
        return statusCode;
    }

    @Override
    public String errorCode() {
        return error.code();
    }

    @Override
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The OData error body; its fields are null when the answer had none (a proxy's 502, say). */
    public BatchError error() {
        return error;
    }
}
