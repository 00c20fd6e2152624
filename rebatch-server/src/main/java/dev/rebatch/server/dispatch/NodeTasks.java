package dev.rebatch.server.dispatch;

import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StaleVersionException;
import dev.rebatch.server.store.StoredResource;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Ends the attempts a node holds, for the node operations (disable scheduling, reboot) with the option
 * {@code requeue} (the tasks wait for another node, requeueCount + 1) or {@code terminate} (they complete). The node
 * learns on its next lease call, which is woken at once.
 */
public final class NodeTasks {

    private static final int MAX_ROUNDS = 16;

    private final BatchStore store;
    private final JobQueues queues;
    private final WorkSignals signals;
    private final Clock clock;

    public NodeTasks(BatchStore store, JobQueues queues, WorkSignals signals, Clock clock) {
        this.store = store;
        this.queues = queues;
        this.signals = signals;
        this.clock = clock;
    }

    /** Requeues every task {@code node} holds; returns how many. */
    public int requeueAll(StoredResource node) {
        return endAll(node, (task, job) -> CompletionRules.requeue(task, clock.instant()));
    }

    /** Terminates every task {@code node} holds; returns how many. */
    public int terminateAll(StoredResource node) {
        return endAll(node, (task, job) -> TaskTermination.completed(task, clock.instant()));
    }

    private int endAll(StoredResource node, BiFunction<StoredResource, StoredResource, StoredResource> end) {
        int ended = 0;
        for (LeasedResource held : store.findHeldBy(node.key().account(), node.key().id())) {
            if (end(node, held, end)) {
                ended++;
            }
        }
        signals.nodeChanged(node.key().account(), node.key().parentId(), node.key().id());
        return ended;
    }

    /** Ends one attempt unless it already ended or moved to another lease; retries when the task changed meanwhile. */
    private boolean end(StoredResource node, LeasedResource held,
            BiFunction<StoredResource, StoredResource, StoredResource> end) {
        long epoch = held.lease().epoch();
        ResourceKey jobKey = ResourceKey.topLevel(held.key().account(), ResourceKind.JOB, held.key().parentId());
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            Optional<LeasedResource> current = round == 1 ? Optional.of(held) : store.findLeased(held.key());
            if (current.isEmpty() || !current.get().lease().heldBy(node.key().id(), epoch)
                    || !DispatchStore.LEASED.contains(current.get().resource().state())) {
                return false;
            }
            Optional<StoredResource> job = store.find(jobKey);
            try {
                StoredResource stored = store.update(end.apply(current.get().resource(), job.orElse(null)));
                if (stored.state().equals(DispatchStore.WAITING) && job.isPresent()) {
                    queues.tasksWaiting(job.get(), 1);
                }
                return true;
            } catch (StaleVersionException raced) {
                // look again
            }
        }
        return false;
    }
}
