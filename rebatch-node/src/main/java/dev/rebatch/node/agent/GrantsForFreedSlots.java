package dev.rebatch.node.agent;

import dev.rebatch.model.agent.Lease;
import dev.rebatch.model.agent.NodeRegistration;
import java.util.List;

/**
 * Runs the tasks a completions answer grants, as the lease loop runs a lease answer's: only for the agent's node now
 * (completions of an earlier registration's attempts offer no slot, that node is gone), with its launcher.
 */
final class GrantsForFreedSlots implements CompletionSender.FreedSlots {

    private final PoolMembership membership;
    private final AttemptRunner runner;

    GrantsForFreedSlots(PoolMembership membership, AttemptRunner runner) {
        this.membership = membership;
        this.runner = runner;
    }

    @Override
    public boolean offers(NodeRegistration node) {
        return membership.node().filter(node::equals).isPresent();
    }

    @Override
    public void run(NodeRegistration node, List<Lease> leases) {
        var launcher = membership.launcher();
        leases.forEach(lease -> runner.grant(lease, node, launcher));
    }
}
