package dev.rebatch.server.http;

import dev.rebatch.model.BatchError;
import dev.rebatch.model.BatchErrorCode;
import java.util.List;
import java.util.Map;

/**
 * A request the service refuses, with the Batch error code, message and details it is answered with. Thrown from
 * anywhere in request handling; {@link ErrorResponses} renders it as the Batch OData error body.
 */
public final class BatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final BatchErrorCode code;
    private final transient List<BatchError.Detail> details;
    private final transient Map<String, String> headers;

    public BatchException(BatchErrorCode code, String message, List<BatchError.Detail> details,
            Map<String, String> headers) {
        super(message, null, false, false); // refusals are expected: no stack trace to fill or leak
        this.code = code;
        this.details = List.copyOf(details);
        this.headers = Map.copyOf(headers);
    }

    public BatchException(BatchErrorCode code, String message, BatchError.Detail... details) {
        this(code, message, List.of(details), Map.of());
    }

    public static BatchError.Detail detail(String key, String value) {
        return new BatchError.Detail(key, value);
    }

    public static BatchException missingProperty(String property) {
        return new BatchException(BatchErrorCode.MissingRequiredProperty,
                "A required property was not specified in the request body.", detail("PropertyName", property));
    }

    public static BatchException invalidProperty(String property, String value, String reason) {
        return new BatchException(BatchErrorCode.InvalidPropertyValue,
                "The value provided for one of the properties in the request body is invalid.",
                detail("PropertyName", property), detail("PropertyValue", value), detail("Reason", reason));
    }

    /** 500 OperationTimedOut: the request's {@code timeout} ran out before it changed anything. */
    public static BatchException operationTimedOut() {
        return new BatchException(BatchErrorCode.OperationTimedOut,
                "Operation could not be completed within the specified time.");
    }

    public static BatchException invalidQueryParameter(String name, String value, String reason) {
        return new BatchException(BatchErrorCode.InvalidQueryParameterValue,
                "Value for one of the query parameters specified in the request URI is invalid.",
                detail("QueryParameterName", name), detail("QueryParameterValue", value), detail("Reason", reason));
    }

    public static BatchException invalidHeader(String name, String value, String reason) {
        return new BatchException(BatchErrorCode.InvalidHeaderValue,
                "The value for one of the HTTP headers is not in the correct format.",
                detail("HeaderName", name), detail("HeaderValue", value), detail("Reason", reason));
    }

    public BatchErrorCode code() {
        return code;
    }

    public List<BatchError.Detail> details() {
        return details;
    }

    /** Extra response headers, such as Retry-After on a throttle. */
    public Map<String, String> headers() {
        return headers;
    }
}
