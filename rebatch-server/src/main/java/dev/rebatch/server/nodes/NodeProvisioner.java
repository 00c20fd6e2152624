package dev.rebatch.server.nodes;

/**
 * What starts and stops node agents for a pool. Nothing does yet: node agents join pools by themselves (they
 * register), and the local launcher that starts agents for the embedded default comes later, as an implementation of
 * this interface.
 *
 * <p>Whether a provisioner {@link #provisions provisions} decides how a pool's allocation reads:
 * <ul>
 *   <li>with one, a create or resize leaves the pool {@code resizing} until the nodes registered in it reach the
 *       target, then {@code steady};
 *   <li>without one ({@link #NONE}), nothing will come because of the targets, so the pool is {@code steady} at once
 *       and {@code currentDedicatedNodes} is simply the number of nodes that registered. A pool with no agents then
 *       behaves as it did before execution: steady, with no nodes.
 * </ul>
 */
public interface NodeProvisioner {

    /** Nothing provisions nodes. */
    NodeProvisioner NONE = new NodeProvisioner() {
        @Override
        public boolean provisions() {
            return false;
        }

        @Override
        public void targetsChanged(String account, String poolId, int targetDedicatedNodes,
                int targetLowPriorityNodes) {}
    };

    /** Whether this provisioner starts node agents to reach a pool's targets. */
    boolean provisions();

    /** A pool was created or resized (called after the change is stored); start or stop agents to match. */
    void targetsChanged(String account, String poolId, int targetDedicatedNodes, int targetLowPriorityNodes);

    /** A pool's resize was stopped: keep the nodes there are. */
    default void resizeStopped(String account, String poolId) {}

    /** A pool is being deleted: its agents should go. */
    default void poolDeleted(String account, String poolId) {}
}
