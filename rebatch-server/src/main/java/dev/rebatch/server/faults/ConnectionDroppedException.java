package dev.rebatch.server.faults;

/**
 * Thrown after a reset-before fault closed the connection, so that the operation does not run. The server maps it
 * to nothing: there is no one left to answer.
 */
public final class ConnectionDroppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ConnectionDroppedException() {
        super("The connection was dropped by an injected fault", null, false, false);
    }
}
