package dev.rebatch.server.dispatch;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing of execution, told to every node agent when it registers.
 *
 * @param heartbeatInterval how often an agent must call for leases at the least; also the longest a lease call may
 *                          wait for work, so that the wait itself is the heartbeat
 * @param leaseTtl          how long a lease (and a node's liveness) lasts after the last call that renewed it; a task
 *                          whose node fell silent this long is requeued, and the node is marked {@code unknown}
 * @param reaperInterval    how often each service instance looks for expired leases and silent nodes
 */
public record ExecutionSettings(Duration heartbeatInterval, Duration leaseTtl, Duration reaperInterval) {

    /**
     * A heartbeat every 5 s at the least and leases of 25 s: five heartbeats may be lost before a node's tasks are
     * given to another node, and a dead node's tasks are requeued within 27 s (lease plus one reaper pass), inside
     * the 30 s Rebatch promises. A lease call waits at most the heartbeat interval, so a shorter interval costs only
     * an idle node's extra calls (one per 5 s).
     */
    public static final ExecutionSettings DEFAULTS = new ExecutionSettings(Duration.ofSeconds(5),
            Duration.ofSeconds(25), Duration.ofSeconds(2));

    public ExecutionSettings {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        Objects.requireNonNull(reaperInterval, "reaperInterval");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive: " + heartbeatInterval);
        }
        if (leaseTtl.compareTo(heartbeatInterval) <= 0) {
            // A lease renewed once per heartbeat would lapse between two heartbeats of a healthy node.
            throw new IllegalArgumentException("leaseTtl (" + leaseTtl + ") must be longer than heartbeatInterval ("
                    + heartbeatInterval + ")");
        }
        if (reaperInterval.isNegative() || reaperInterval.isZero()) {
            throw new IllegalArgumentException("reaperInterval must be positive: " + reaperInterval);
        }
    }
}
