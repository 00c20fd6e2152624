package dev.rebatch.server.api;

import dev.rebatch.server.http.Preconditions;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.StaleVersionException;
import dev.rebatch.server.store.StoredResource;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Read, decide, write: the change is computed from the version read and written only if nobody changed the
 * resource meanwhile; otherwise it is recomputed from the new version. This is how several service instances on
 * one database apply state transitions without locks and without losing a change.
 */
public final class OptimisticUpdates {

    /** Contention beyond this many rounds means something is hammering one resource; the client may retry. */
    private static final int MAX_ROUNDS = 16;

    private OptimisticUpdates() {}

    /**
     * As {@link #apply(BatchStore, ResourceKey, Supplier, UnaryOperator)}, checking the request's conditional headers
     * against each version read, so that the check and the write see the same version: an If-Match that held for a
     * version a racing writer replaced fails on the next round, as it should.
     */
    public static StoredResource apply(BatchStore store, ResourceKey key, Supplier<RuntimeException> notFound,
            Preconditions conditions, UnaryOperator<StoredResource> change) {
        return apply(store, key, notFound, current -> {
            conditions.enforce(current);
            return change.apply(current);
        });
    }

    public static StoredResource apply(BatchStore store, ResourceKey key, Supplier<RuntimeException> notFound,
            UnaryOperator<StoredResource> change) {
        for (int round = 1; ; round++) {
            StoredResource current = store.find(key).orElseThrow(notFound);
            try {
                return store.update(change.apply(current));
            } catch (StaleVersionException raced) {
                if (round >= MAX_ROUNDS) {
                    throw raced;
                }
            }
        }
    }
}
