package dev.rebatch.server.dispatch;

import dev.rebatch.server.http.Json;
import dev.rebatch.server.nodes.ComputeNodes;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the work of nodes that fell silent: every {@code reaperInterval}, a task whose lease ran out (by the
 * database clock) is requeued (active, requeueCount + 1, retryCount unchanged) and a node that has not called for a
 * lease TTL is marked {@code unknown}. One runs in every service instance; several on one PostgreSQL database are safe,
 * because each requeue is written only against the version read and only while the lease is still expired: of two
 * reapers finding the same lease, one requeues it and the other finds it changed.
 */
public final class LeaseReaper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int BATCH = 200;
    /** The node states a silent node is taken out of. */
    private static final Set<String> ALIVE = Set.of(ComputeNodes.IDLE, ComputeNodes.RUNNING, ComputeNodes.OFFLINE,
            ComputeNodes.REBOOTING);

    private final BatchStore store;
    private final JobQueues queues;
    private final WorkSignals signals;
    private final Clock clock;
    private final ExecutionSettings settings;
    private final Thread thread;
    private volatile boolean closed;

    public LeaseReaper(BatchStore store, JobQueues queues, WorkSignals signals, Clock clock,
            ExecutionSettings settings) {
        this.store = store;
        this.queues = queues;
        this.signals = signals;
        this.clock = clock;
        this.settings = settings;
        this.thread = Thread.ofVirtual().name("rebatch-lease-reaper").unstarted(this::run);
    }

    public LeaseReaper start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                reapOnce();
            } catch (RuntimeException e) {
                log.warn("The lease reaper failed a round; it tries again in {}", settings.reaperInterval(), e);
            }
            try {
                Thread.sleep(settings.reaperInterval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: requeues the tasks of expired leases, marks silent nodes; returns how many tasks were requeued. */
    int reapOnce() {
        int requeued = 0;
        List<LeasedResource> expired;
        do {
            expired = store.findExpired(ResourceKind.TASK, DispatchStore.LEASED, clock.instant(), BATCH);
            for (LeasedResource task : expired) {
                if (requeue(task)) {
                    requeued++;
                }
            }
        } while (expired.size() == BATCH && !closed);
        for (LeasedResource node : store.findExpired(ResourceKind.NODE, ALIVE, clock.instant(), BATCH)) {
            markLost(node.resource());
        }
        return requeued;
    }

    private boolean requeue(LeasedResource expired) {
        Instant now = clock.instant();
        Optional<StoredResource> requeued = store.updateIfExpired(CompletionRules.requeue(expired.resource(), now), now);
        if (requeued.isEmpty()) {
            return false; // renewed, ended or requeued by another reaper since it was found
        }
        log.info("Requeued task {}/{} of account {}: the lease of node {} (epoch {}) expired",
                expired.key().parentId(), expired.key().id(), expired.key().account(), expired.lease().nodeId(),
                expired.lease().epoch());
        store.find(ResourceKey.topLevel(expired.key().account(), ResourceKind.JOB, expired.key().parentId()))
                .ifPresent(job -> queues.tasksWaiting(job, 1));
        return true;
    }

    private void markLost(StoredResource node) {
        Instant now = clock.instant();
        StoredResource lost = ComputeNodes.withState(node, ComputeNodes.UNKNOWN, Json.readStored(node.body()), now);
        if (store.updateIfExpired(lost, now).isPresent()) {
            log.warn("Node {} of pool {} ({}) has not called for {}: marked unknown", node.key().id(),
                    node.key().parentId(), node.key().account(), settings.leaseTtl());
            signals.nodeChanged(node.key().account(), node.key().parentId(), node.key().id());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
