package dev.rebatch.retry;

import java.util.concurrent.TimeoutException;

/** An asynchronous attempt ran past its timeout; the handler cancelled it. Classified NETWORK_UNKNOWN. */
public final class AttemptTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    public AttemptTimeoutException(String message) {
        super(message);
    }
}
