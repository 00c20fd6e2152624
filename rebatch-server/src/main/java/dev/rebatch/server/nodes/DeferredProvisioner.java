package dev.rebatch.server.nodes;

import java.util.Objects;

/**
 * Stands in for a provisioner that cannot be made before the service has started (it needs the port the service
 * got): it provisions nothing until {@link #become} hands it the real one, which nothing can notice, as no pool
 * exists before the service is handed out.
 */
public final class DeferredProvisioner implements NodeProvisioner {

    private volatile NodeProvisioner delegate = NodeProvisioner.NONE;

    /** From now on, {@code provisioner} does the work. */
    public void become(NodeProvisioner provisioner) {
        delegate = Objects.requireNonNull(provisioner, "provisioner");
    }

    /** The provisioner that does the work ({@link NodeProvisioner#NONE} until {@link #become}). */
    public NodeProvisioner delegate() {
        return delegate;
    }

    @Override
    public boolean provisions() {
        return delegate.provisions();
    }

    @Override
    public void targetsChanged(String account, String poolId, int targetDedicatedNodes, int targetLowPriorityNodes) {
        delegate.targetsChanged(account, poolId, targetDedicatedNodes, targetLowPriorityNodes);
    }

    @Override
    public void resizeStopped(String account, String poolId) {
        delegate.resizeStopped(account, poolId);
    }

    @Override
    public void poolDeleted(String account, String poolId) {
        delegate.poolDeleted(account, poolId);
    }
}
