package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.StoredResource;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the lease calls that wait for work. A call registers a {@link Waiter} for its node and pool before it looks
 * at the queue, so a signal sent while it looks is not lost; the task-add, requeue and cancellation paths signal.
 *
 * <p>Signals reach the waiters of this instance at once and, through {@link DispatchStore#publish} (PostgreSQL
 * NOTIFY), the waiters of every other instance on the same database. An instance ignores the echo of its own messages.
 */
public final class WorkSignals implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkSignals.class);
    private static final char SEPARATOR = '\t';

    private final DispatchStore store;
    private final String instance = UUID.randomUUID().toString();
    private final Map<String, ConcurrentLinkedDeque<Waiter>> byPool = new ConcurrentHashMap<>();
    private final Map<String, Waiter> byNode = new ConcurrentHashMap<>();
    private final AutoCloseable listening;
    private volatile boolean closed;

    public WorkSignals(DispatchStore store) {
        this.store = store;
        this.listening = store.listen(this::received);
    }

    /** {@code tasks} tasks can be granted in the pool now: wakes as many waiting nodes (at least one). */
    public void workAdded(String account, String poolId, int tasks) {
        if (poolId == null) {
            return;
        }
        int count = Math.max(1, tasks);
        wakeSome(poolAddress(account, poolId), count);
        publish('w', account, poolId, Integer.toString(count));
    }

    /** Something every waiting node of the pool should look at again (a job's tasks were ended, say). */
    public void poolChanged(String account, String poolId) {
        if (poolId == null) {
            return;
        }
        wakeAll(poolAddress(account, poolId));
        publish('p', account, poolId, "");
    }

    /** Something one node should look at again (a task it holds was ended or requeued, its scheduling changed). */
    public void nodeChanged(String account, String poolId, String nodeId) {
        if (nodeId == null) {
            return;
        }
        wake(nodeAddress(account, nodeId));
        publish('n', account, poolId == null ? "" : poolId, nodeId);
    }

    /**
     * A task was ended, removed or requeued by someone other than its node: if a node ran it (its nodeInfo names one),
     * wakes that node so it hears at once that the attempt must stop.
     *
     * @param task the task as it was stored before or after the change (both name the node)
     */
    public void taskEnded(StoredResource task) {
        JsonNode nodeInfo = Json.readStored(task.body()).path("nodeInfo");
        if (nodeInfo.hasNonNull("nodeId")) {
            nodeChanged(task.key().account(), nodeInfo.path("poolId").asText(null), nodeInfo.path("nodeId").asText());
        }
    }

    /** Registers a waiter for a node of a pool; close it when the call ends. */
    public Waiter register(String account, String poolId, String nodeId) {
        Waiter waiter = new Waiter(poolAddress(account, poolId), nodeAddress(account, nodeId));
        byPool.computeIfAbsent(waiter.pool, k -> new ConcurrentLinkedDeque<>()).addLast(waiter);
        // One call at a time per node is the protocol; a second one simply takes over the node's wake-ups.
        byNode.put(waiter.node, waiter);
        return waiter;
    }

    /** Waiters registered now, for tests and metrics. */
    int waiting() {
        return byNode.size();
    }

    /** True once the service is stopping: waiting calls should answer now. */
    public boolean isClosed() {
        return closed;
    }

    /** Stops listening to other instances, and wakes every waiting call so that it answers. */
    @Override
    public void close() {
        closed = true;
        byNode.values().forEach(Waiter::signal);
        try {
            listening.close();
        } catch (Exception e) {
            log.warn("Could not stop listening for work signals", e);
        }
    }

    private void wakeSome(String pool, int count) {
        ConcurrentLinkedDeque<Waiter> waiters = byPool.get(pool);
        if (waiters == null) {
            return;
        }
        int woken = 0;
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext() && woken < count; ) {
            if (it.next().signal()) {
                woken++;
            }
        }
    }

    private void wakeAll(String pool) {
        ConcurrentLinkedDeque<Waiter> waiters = byPool.get(pool);
        if (waiters != null) {
            waiters.forEach(Waiter::signal);
        }
    }

    private void wake(String node) {
        Waiter waiter = byNode.get(node);
        if (waiter != null) {
            waiter.signal();
        }
    }

    private void publish(char type, String account, String poolId, String argument) {
        try {
            store.publish(String.join(String.valueOf(SEPARATOR), String.valueOf(type), instance, account, poolId,
                    argument));
        } catch (RuntimeException e) {
            // Other instances' waiters then find the work when their calls end; this one's were woken already.
            log.warn("Could not tell other service instances about new work in pool {} of {}", poolId, account, e);
        }
    }

    /** A message from {@link DispatchStore#listen}: another instance's signal, or word that some were lost. */
    private void received(String message) {
        if (message.equals(DispatchStore.MESSAGES_MAY_BE_LOST)) {
            byNode.values().forEach(Waiter::signal);
            return;
        }
        String[] parts = message.split(String.valueOf(SEPARATOR), -1);
        if (parts.length != 5 || parts[1].equals(instance)) {
            return; // not ours to read, or our own echo
        }
        String account = parts[2];
        switch (parts[0]) {
            case "w" -> wakeSome(poolAddress(account, parts[3]), parseCount(parts[4]));
            case "p" -> wakeAll(poolAddress(account, parts[3]));
            case "n" -> wake(nodeAddress(account, parts[4]));
            default -> { }
        }
    }

    private static int parseCount(String count) {
        try {
            return Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String poolAddress(String account, String poolId) {
        return account.toLowerCase(Locale.ROOT) + SEPARATOR + ResourceKey.lower(poolId);
    }

    private static String nodeAddress(String account, String nodeId) {
        return account.toLowerCase(Locale.ROOT) + SEPARATOR + ResourceKey.lower(nodeId);
    }

    /** One waiting lease call. A signal that arrives before {@link #await} is kept, not lost. */
    public final class Waiter implements AutoCloseable {

        private final String pool;
        private final String node;
        private final Semaphore wakeUp = new Semaphore(0);
        private final AtomicBoolean signalled = new AtomicBoolean();

        private Waiter(String pool, String node) {
            this.pool = pool;
            this.node = node;
        }

        /** True when this signal woke it; false when it already had a signal pending. */
        private boolean signal() {
            if (signalled.compareAndSet(false, true)) {
                wakeUp.release();
                return true;
            }
            return false;
        }

        /**
         * Waits for a signal at most {@code millis}; a signal sent since the last wait returns at once.
         *
         * @return whether a signal came
         */
        public boolean await(long millis) throws InterruptedException {
            boolean woken = wakeUp.tryAcquire(Math.max(0, millis), TimeUnit.MILLISECONDS);
            // Drain first, then re-arm: a signal landing between the two is covered by the look at the queue the
            // caller makes next; one landing after re-arming releases a permit for the next wait.
            wakeUp.drainPermits();
            signalled.set(false);
            return woken;
        }

        @Override
        public void close() {
            ConcurrentLinkedDeque<Waiter> waiters = byPool.get(pool);
            if (waiters != null) {
                waiters.remove(this);
            }
            byNode.remove(node, this);
        }
    }
}
