package dev.rebatch.retry.classify;

/**
 * Implemented by an exception that carries an HTTP error response, so that the retry core can classify
 * it without knowing the HTTP client or the error model. The SDK's Batch error exception implements it.
 */
public interface HttpFailure {

    /** The HTTP status code of the response. */
    int statusCode();

    /** The Batch error code from the OData error body ({@code "code"}), or {@code null} when there was none. */
    String errorCode();

    /** The first value of a response header, matched case-insensitively, or {@code null} when absent. */
    String header(String name);
}
