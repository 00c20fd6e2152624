package dev.rebatch.retry.classify;

/**
 * What an attempt's outcome means for retrying. Every outcome, whether a response or an exception,
 * falls into exactly one category.
 */
public enum Category {
    /** The request never reached the service (refused connection, DNS, TLS handshake): always safe to retry. */
    NETWORK_NOT_SENT(true, false),
    /** A timeout or reset after the request was sent: the service may or may not have applied it. */
    NETWORK_UNKNOWN(true, true),
    /** 5xx other than 501 and 505 (and 408): a transient service failure; a write may have been applied. */
    SERVER(true, true),
    /** 429, and 503 ServerBusy: the service asks the client to slow down; it may also have applied the request. */
    THROTTLED(true, true),
    /** 409: the resource already exists or is not in a state that allows the operation. */
    CONFLICT(false, false),
    /** Any other 4xx, 501 and 505, and failures on the caller's side: retrying cannot change the answer. */
    CLIENT(false, false),
    /** A 2xx or 3xx answer. */
    SUCCESS(false, false);

    private final boolean transientFailure;
    private final boolean mayHaveBeenApplied;

    Category(boolean transientFailure, boolean mayHaveBeenApplied) {
        this.transientFailure = transientFailure;
        this.mayHaveBeenApplied = mayHaveBeenApplied;
    }

    /** True for the categories the built-in policies retry. */
    public boolean isTransient() {
        return transientFailure;
    }

    /**
     * True when the service may have applied the request although the client saw a failure, so a later
     * 409 *Exists or 404 *NotFound may be the echo of this attempt's success rather than a real conflict.
     */
    public boolean mayHaveBeenApplied() {
        return mayHaveBeenApplied;
    }
}
