package dev.rebatch.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * What an operation knows about the attempt it is running. Valid while that attempt runs: the handler reuses
 * one instance for every attempt of an operation.
 */
public interface Attempt {

    /**
     * The operation's id, the same for all its attempts: send it as {@code client-request-id} so that the
     * service can recognise a retried create. A random GUID unless the caller chose one.
     */
    String operationId();

    /** 1 for the first attempt, 2 for the first retry, and so on. */
    int number();

    /**
     * How long this attempt may take: the attempt timeout, shortened to what remains of the operation's
     * deadline. Pass it to the transport, bounding the whole exchange: with the JDK HttpClient,
     * {@code HttpRequest.Builder.timeout} alone stops at the response headers, so also wait for the body at most this
     * long. Asynchronous attempts are also cut off by the handler when it runs out.
     */
    Optional<Duration> timeout();
}
