package dev.rebatch.server.api;

import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch deletes are asynchronous: the service answers 202 once the resource is marked "deleting", then removes it
 * (with its tasks or nodes). The mark is durable, so a delete acknowledged before a crash is finished when the
 * service starts again: nothing acknowledged with a 2xx is lost.
 */
public final class PendingDeletes {

    public static final String DELETING = "deleting";
    private static final Logger log = LoggerFactory.getLogger(PendingDeletes.class);
    private static final int BATCH = 500;

    private final BatchStore store;
    private final Executor background;

    public PendingDeletes(BatchStore store, Executor background) {
        this.store = store;
        this.background = background;
    }

    /** Removes a resource already marked "deleting", in the background. */
    public void deleteLater(ResourceKey key) {
        background.execute(() -> delete(key));
    }

    /** Finishes, in the background, every delete of these kinds that a previous run acknowledged but did not end. */
    public void resume(ResourceKind... kinds) {
        background.execute(() -> {
            for (ResourceKind kind : kinds) {
                List<StoredResource> pending;
                do {
                    pending = store.findInState(kind, DELETING, BATCH);
                    pending.forEach(resource -> delete(resource.key()));
                } while (pending.size() == BATCH);
            }
        });
    }

    private void delete(ResourceKey key) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            // The mark stays, so the next start finishes it; several instances may race to the same delete.
            log.warn("Could not finish deleting {} {} of account {}; it stays marked for deletion",
                    key.kind(), key.id(), key.account(), e);
        }
    }
}
