package dev.rebatch.server.store;

import java.time.Instant;

/**
 * A task's lease as stored on its row. The lease outlives the attempt it fenced: after a task completes or is
 * requeued its row still names the last holder and epoch, and the next grant increments the epoch.
 *
 * @param nodeId    the node that holds, or last held, the task; {@code null} if it was never granted
 * @param epoch     the fencing epoch: 0 before the first grant, +1 at every grant
 * @param expiresAt when the lease runs out by the database clock; {@code null} if never granted
 */
public record Lease(String nodeId, long epoch, Instant expiresAt) {

    public boolean heldBy(String node, long attemptEpoch) {
        return node.equals(nodeId) && epoch == attemptEpoch;
    }
}
