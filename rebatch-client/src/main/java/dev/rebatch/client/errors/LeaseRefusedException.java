package dev.rebatch.client.errors;

/**
 * The service refused a node's report on an attempt because the node no longer holds it: 409
 * {@code LeaseEpochStale} (a newer lease superseded the attempt) or {@code LeaseNotHeld} (the task was requeued,
 * completed, terminated or deleted meanwhile, or another node holds it). Nothing was written; the node should stop
 * the attempt, if it still runs, and forget it.
 */
public final class LeaseRefusedException extends BatchServiceException {

    private static final long serialVersionUID = 1L;

    public static final String LEASE_EPOCH_STALE = "LeaseEpochStale";
    public static final String LEASE_NOT_HELD = "LeaseNotHeld";

    public LeaseRefusedException(BatchServiceException refusal) {
        super(refusal, refusal.getMessage());
    }

    /** Whether {@code code} is one of the two lease refusals. */
    public static boolean isLeaseRefusal(String code) {
        return LEASE_EPOCH_STALE.equalsIgnoreCase(code) || LEASE_NOT_HELD.equalsIgnoreCase(code);
    }

    /** A newer lease superseded the attempt. */
    public boolean superseded() {
        return LEASE_EPOCH_STALE.equalsIgnoreCase(errorCode());
    }
}
