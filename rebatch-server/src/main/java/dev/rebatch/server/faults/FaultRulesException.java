package dev.rebatch.server.faults;

/** A rules file or admin body that cannot be used; the message names the rule index and field to fix. */
public final class FaultRulesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FaultRulesException(String message) {
        super(message);
    }

    public FaultRulesException(String message, Throwable cause) {
        super(message, cause);
    }
}
