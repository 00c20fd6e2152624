package dev.rebatch.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.http.BatchRequest;
import dev.rebatch.client.http.BatchResponse;
import dev.rebatch.client.http.BatchTransport;
import dev.rebatch.retry.AttemptEvent;
import dev.rebatch.retry.RetryFailedException;
import dev.rebatch.retry.RetryHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every SDK call through the client's one {@link RetryHandler}, turns its verdict into a typed
 * {@link BatchException}, and resolves what a retry leaves ambiguous (see {@link EchoRule}).
 */
final class BatchCalls {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCalls.class);

    private final BatchTransport transport;
    private final RetryHandler handler;
    private final ObjectMapper json;

    BatchCalls(BatchTransport transport, RetryHandler handler, ObjectMapper json) {
        this.transport = transport;
        this.handler = handler;
        this.json = json;
    }

    ObjectMapper json() {
        return json;
    }

    BatchTransport transport() {
        return transport;
    }

    RetryHandler handler() {
        return handler;
    }

    /** Sends {@code request}, retrying as the policy allows, and returns the successful answer. */
    BatchResponse send(String operation, BatchRequest request, RequestOptions options) {
        try {
            return handler.execute(options.toCallOptions(), attempt -> transport.send(request, attempt));
        } catch (RetryFailedException failure) {
            throw BatchException.from(failure, operation);
        }
    }

    /**
     * Sends {@code request}; when the last answer is one {@code echo} recognises as the echo of an earlier attempt
     * that may have been applied, confirms it instead of failing.
     *
     * @param onSuccess what the call returns when the service answered with success
     */
    <T> T send(String operation, BatchRequest request, RequestOptions options, EchoRule<T> echo,
            ResponseReader<T> onSuccess) {
        BatchResponse response;
        try {
            response = handler.execute(options.toCallOptions(), attempt -> transport.send(request, attempt));
        } catch (RetryFailedException failure) {
            BatchException error = BatchException.from(failure, operation);
            if (error instanceof BatchServiceException answer && echo.recognises(answer.errorCode())
                    && anEarlierAttemptMayHaveApplied(failure.attempts())) {
                LOG.info("{}: {} after an earlier attempt whose outcome is unknown (client-request-id {}); "
                        + "checking whether that attempt was applied", operation, answer.errorCode(),
                        answer.clientRequestId());
                return echo.confirm(answer);
            }
            throw error;
        }
        return onSuccess.read(response);
    }

    /** Sends a GET and reads the JSON body as {@code type}. */
    <T> T get(String operation, BatchRequest request, RequestOptions options, Class<T> type) {
        return read(send(operation, request, options), json.constructType(type));
    }

    <T> T get(String operation, BatchRequest request, RequestOptions options, TypeReference<T> type) {
        return read(send(operation, request, options), json.constructType(type));
    }

    <T> T read(BatchResponse response, JavaType type) {
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("The service's answer is not the JSON the SDK expects: " + e.getMessage(),
                    e);
        }
    }

    byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not serialize the request body: " + e.getMessage(), e);
        }
    }

    /** An enum's wire spelling ("disabling", "waitingforstarttask"), or {@code null}. */
    String wireName(Enum<?> value) {
        return value == null ? null : json.convertValue(value, String.class);
    }

    /**
     * True when an attempt before the last one ended without a definite answer (a timeout, a reset, a 5xx, a 429
     * or 503): only then can the last answer be the echo of an earlier attempt's success.
     */
    static boolean anEarlierAttemptMayHaveApplied(List<AttemptEvent> attempts) {
        for (int i = 0; i < attempts.size() - 1; i++) {
            if (attempts.get(i).outcome().category().mayHaveBeenApplied()) {
                return true;
            }
        }
        return false;
    }

    /** Turns a successful answer into the call's result. */
    @FunctionalInterface
    interface ResponseReader<T> {
        T read(BatchResponse response);
    }
}
