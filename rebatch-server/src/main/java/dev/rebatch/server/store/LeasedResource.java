package dev.rebatch.server.store;

import java.util.Objects;

/** A stored resource with the lease columns of its row (a task's lease, or a node's liveness in {@code expiresAt}). */
public record LeasedResource(StoredResource resource, Lease lease) {

    public LeasedResource {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(lease, "lease");
    }

    public ResourceKey key() {
        return resource.key();
    }
}
