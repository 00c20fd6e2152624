package dev.rebatch.server.api;

import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch deletes are asynchronous: the service answers 202 once the resource is marked "deleting", then removes it
 * (with its tasks or nodes). The mark is durable, so a delete acknowledged before a crash is finished when the
 * service starts again: nothing acknowledged with a 2xx is lost.
 *
 * <p>A delete that fails is tried again, after 50 ms, then twice as long each time up to 5 s, {@value #ATTEMPTS}
 * attempts in all (about 16 s): on PostgreSQL a job's delete can be chosen as the victim of a deadlock with task adds
 * that still hold the job's row, and a job must not stay "deleting", with its tasks, until the next start.
 */
public final class PendingDeletes {

    public static final String DELETING = "deleting";
    private static final Logger log = LoggerFactory.getLogger(PendingDeletes.class);
    private static final int BATCH = 500;
    static final int ATTEMPTS = 10;
    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    /** Waits between attempts; a test records the waits instead of sleeping. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final BatchStore store;
    private final Executor background;
    private final Pause pause;

    public PendingDeletes(BatchStore store, Executor background) {
        this(store, background, duration -> Thread.sleep(duration));
    }

    PendingDeletes(BatchStore store, Executor background, Pause pause) {
        this.store = store;
        this.background = background;
        this.pause = pause;
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
        Duration wait = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                store.delete(key); // several instances may race to the same delete: the later ones find it gone
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    // The mark stays, so the next start finishes it.
                    log.warn("Could not finish deleting {} {} of account {} in {} attempts; it stays marked for "
                            + "deletion until the service starts again", key.kind(), key.id(), key.account(),
                            ATTEMPTS, e);
                    return;
                }
                log.info("Deleting {} {} of account {} failed ({}); trying again in {} ms", key.kind(), key.id(),
                        key.account(), e.getCause() == null ? e.toString() : e.getCause().toString(), wait.toMillis());
            }
            try {
                pause.sleep(wait);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                log.warn("Stopped before deleting {} {} of account {}; it stays marked for deletion until the "
                        + "service starts again", key.kind(), key.id(), key.account());
                return;
            }
            wait = wait.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : wait.multipliedBy(2);
        }
    }
}
