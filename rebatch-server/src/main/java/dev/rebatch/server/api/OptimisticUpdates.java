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
 *
 * <p>The request's conditional headers are checked against each version read, so the check and the write see the
 * same version: an If-Match that held for a version a racing writer replaced fails on the retry, as it should.
 */
public final class OptimisticUpdates {

    /** Contention beyond this many rounds means something is hammering one resource; the client may retry. */
    private static final int MAX_ROUNDS = 16;

    private OptimisticUpdates() {}

    /**
     * @throws dev.rebatch.server.http.BatchException 412 ConditionNotMet when {@code conditions} fail for the
     *                                                version read, or whatever {@code notFound} and {@code change}
     *                                                throw
     */
    public static StoredResource apply(BatchStore store, ResourceKey key, Supplier<RuntimeException> notFound,
            Preconditions conditions, UnaryOperator<StoredResource> change) {
        for (int round = 1; ; round++) {
            StoredResource current = store.find(key).orElseThrow(notFound);
            conditions.enforce(current);
            try {
                return store.update(change.apply(current));
            } catch (StaleVersionException raced) {
                if (round >= MAX_ROUNDS) {
                    throw raced;
                }
            }
        }
    }

    /**
     * Deletes the resource as read, if {@code conditions} hold for it and nobody changed it before the delete;
     * otherwise decides again on the version now stored. Returns the version deleted.
     *
     * @throws dev.rebatch.server.http.BatchException 412 ConditionNotMet, or what {@code notFound} throws
     */
    public static StoredResource delete(BatchStore store, ResourceKey key, Supplier<RuntimeException> notFound,
            Preconditions conditions) {
        for (int round = 1; ; round++) {
            StoredResource current = store.find(key).orElseThrow(notFound);
            conditions.enforce(current);
            if (store.deleteIfUnchanged(current)) {
                return current;
            }
            if (round >= MAX_ROUNDS) {
                throw new StaleVersionException(key, current.version());
            }
        }
    }

    /**
     * As {@link #apply} with no conditional headers, for the service's own changes: {@code change} answers
     * {@code null} when the resource needs no change, and then nothing is written and the version read is returned.
     */
    public static StoredResource applyIfChanged(BatchStore store, ResourceKey key, Supplier<RuntimeException> notFound,
            UnaryOperator<StoredResource> change) {
        for (int round = 1; ; round++) {
            StoredResource current = store.find(key).orElseThrow(notFound);
            StoredResource next = change.apply(current);
            if (next == null) {
                return current;
            }
            try {
                return store.update(next);
            } catch (StaleVersionException raced) {
                if (round >= MAX_ROUNDS) {
                    throw raced;
                }
            }
        }
    }
}
