package dev.rebatch.server.dispatch;

import dev.rebatch.server.store.StoredResource;
import java.util.List;

/**
 * The answer to a lease call.
 *
 * @param node          the node as it is now (state, scheduling)
 * @param renewed       the attempts whose leases were renewed: keep running them
 * @param cancellations the attempts to stop
 * @param grants        new tasks to run
 * @param reboot        the node was rebooted (ComputeNode_Reboot) and now holds nothing: the agent may restart itself
 *                      before its next call; it is idle again already
 */
public record PollResult(StoredResource node, List<HeldAttempt> renewed, List<Cancellation> cancellations,
        List<Grant> grants, boolean reboot) {}
