package dev.rebatch.server.store;

/**
 * The database failed (unreachable, disk full, a bug in a query). Unchecked so that callers of {@link BatchStore}
 * handle only the outcomes the contract names; the service turns this into a 500.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
