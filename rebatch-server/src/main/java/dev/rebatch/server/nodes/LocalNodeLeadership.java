package dev.rebatch.server.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.pools.PoolState;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.InstanceLock;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a store's local node agents in at most one service instance at a time: the one holding the store's
 * {@link InstanceLock} (a PostgreSQL advisory lock; always held on the embedded store, which one service opens). It
 * is the provisioner the service is given; the real one (which starts agents in this process) is made when this
 * instance takes the lock and closed when it loses it.
 *
 * <p>Every {@code checkInterval} (and on {@link #checkNow}) one thread of its own:
 * <ol>
 *   <li>takes the lock, or confirms it still holds it;</li>
 *   <li><b>on taking it</b>: removes every node that local agents registered (by their agent version,
 *       {@link #LOCAL_AGENT_VERSION}), which can only have been started by an earlier holder, now dead or gone
 *       (their tasks are requeued at once, as when a node leaves); then makes the provisioner, which starts agents
 *       for every pool's target. So a pool ends with exactly its target of nodes, all of this instance, instead of
 *       its target plus the dead instance's silent ({@code unknown}) ones;</li>
 *   <li><b>on losing it</b> (its session ended): closes the provisioner, whose agents leave, since another instance
 *       may take the lock now;</li>
 *   <li><b>while holding it</b>: reads the active pools from the store and reports to the provisioner each pool
 *       whose targets changed since the last report, and each pool that is gone or being deleted. Pools created,
 *       resized or deleted through other instances reach the agents this way, within a check.</li>
 * </ol>
 * A change reported to this instance (a create, resize or delete it served) starts that reading at once. An
 * instance that does not hold the lock drops what it is told: the holder reads it from the store.
 */
public final class LocalNodeLeadership implements NodeProvisioner, AutoCloseable {

    /** The agent version local node agents register with; nodes registered so are this class's to remove. */
    public static final String LOCAL_AGENT_VERSION = "rebatch-local";
    /** How often the lock is taken or confirmed, and the pools read, unless told otherwise. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(LocalNodeLeadership.class);
    private static final int MAX_ROWS = 100_000;
    private static final List<String> NODE_STATES = List.of(ComputeNodes.IDLE, ComputeNodes.RUNNING,
            ComputeNodes.OFFLINE, ComputeNodes.REBOOTING, ComputeNodes.UNKNOWN);
    /** How long a check (or stopping the agents) is waited for: agents end their processes, which takes a while. */
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final BatchStore store;
    private final InstanceLock lock;
    private final Supplier<NodeProvisioner> provisioners;
    private final IntSupplier removeLocalNodes;
    private final Duration checkInterval;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean reportPending = new AtomicBoolean();
    private volatile boolean leading;
    private volatile boolean closed;
    /** On the thread only: the provisioner while this instance holds the lock, otherwise null. */
    private NodeProvisioner provisioner;
    /** On the thread only: the targets last reported per pool (account/pool in lower case). */
    private Map<String, PoolTargets> reported = new HashMap<>();

    private record PoolTargets(String account, String poolId, int dedicated, int lowPriority) {}

    private LocalNodeLeadership(BatchStore store, InstanceLock lock, Supplier<NodeProvisioner> provisioners,
            IntSupplier removeLocalNodes, Duration checkInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.provisioners = Objects.requireNonNull(provisioners, "provisioners");
        this.removeLocalNodes = Objects.requireNonNull(removeLocalNodes, "removeLocalNodes");
        this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "rebatch-local-nodes-lock");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Makes the first check before it returns (so {@link #leading} answers at once), then one every
     * {@code checkInterval}.
     *
     * @param lock             the store's lock for local nodes
     * @param provisioners     makes the provisioner that starts agents in this process, each time the lock is taken
     * @param removeLocalNodes removes every node registered with {@link #LOCAL_AGENT_VERSION} and requeues its tasks
     *                         (as {@code RebatchServer.removeLocalNodes} does); returns how many
     */
    public static LocalNodeLeadership start(BatchStore store, InstanceLock lock,
            Supplier<NodeProvisioner> provisioners, IntSupplier removeLocalNodes, Duration checkInterval) {
        LocalNodeLeadership leadership = new LocalNodeLeadership(store, lock, provisioners, removeLocalNodes,
                checkInterval);
        leadership.checkNow();
        leadership.thread.scheduleWithFixedDelay(leadership::check, checkInterval.toMillis(),
                checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        return leadership;
    }

    /** Whether this instance runs the store's local nodes now. */
    public boolean leading() {
        return leading;
    }

    /** What the lock is. */
    public String lockDescription() {
        return lock.describe();
    }

    public Duration checkInterval() {
        return checkInterval;
    }

    /** Checks the lock (and reports pools) now, and waits for it; a check already running is waited for too. */
    public void checkNow() {
        runOnThread(this::check);
    }

    /** A gauge {@code rebatch.local.nodes.leader}: 1 while this instance runs the local nodes, else 0. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("rebatch.local.nodes.leader", this, leadership -> leadership.leading() ? 1 : 0)
                .description("1 while this instance holds the store's lock and runs its local node agents, else 0")
                .strongReference(true)
                .register(registry);
    }

    @Override
    public boolean provisions() {
        return true; // some instance of the store runs the agents, so a pool waits for them wherever it was resized
    }

    @Override
    public void targetsChanged(String account, String poolId, int targetDedicatedNodes, int targetLowPriorityNodes) {
        reportSoon();
    }

    @Override
    public void resizeStopped(String account, String poolId) {
        if (leading) {
            NodeProvisioner current = provisioner;
            if (current != null) {
                current.resizeStopped(account, poolId);
            }
        }
    }

    @Override
    public void poolDeleted(String account, String poolId) {
        reportSoon();
    }

    /** Stops checking; the agents of this instance leave, then the lock is released. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            runOnThread(() -> {
                stopAgents();
                lock.close();
            });
        } finally {
            thread.shutdownNow();
            lock.close();
        }
    }

    /**
     * Removes every node that local node agents registered, in every account and pool, and hands each to
     * {@code requeue} (which requeues the tasks it held) after it is removed, as a node's leave does.
     *
     * @return how many were removed
     */
    public static int removeLocalNodes(BatchStore store, NodeRegistry registry, Consumer<StoredResource> requeue) {
        int removed = 0;
        for (String state : NODE_STATES) {
            for (StoredResource node : store.findInState(ResourceKind.NODE, state, MAX_ROWS)) {
                ObjectNode document = Json.readStored(node.body());
                if (LOCAL_AGENT_VERSION.equals(document.path("nodeAgentInfo").path("version").asText())) {
                    registry.remove(node);
                    requeue.accept(node);
                    removed++;
                }
            }
        }
        return removed;
    }

    // ---------------------------------------------------------------------------------------- on the thread

    private void check() {
        if (closed) {
            return;
        }
        try {
            boolean holds = lock.hold();
            if (holds && provisioner == null) {
                take();
            } else if (!holds && provisioner != null) {
                log.warn("This instance no longer holds {}: stopping its local node agents; another instance of "
                        + "the store takes over", lock.describe());
                stopAgents();
            }
            if (provisioner != null) {
                report();
            }
        } catch (RuntimeException e) {
            log.error("The local nodes check failed; trying again at the next one", e);
        }
    }

    private void take() {
        int removed;
        try {
            // Before any agent of this instance registers: every local node now in the store is an earlier holder's.
            removed = removeLocalNodes.getAsInt();
            provisioner = Objects.requireNonNull(provisioners.get(), "the node provisioner");
        } catch (RuntimeException failed) {
            log.error("This instance holds {} but cannot start its local node agents; trying again at the next "
                    + "check", lock.describe(), failed);
            return;
        }
        reported = new HashMap<>();
        leading = true;
        log.info("This instance now runs the store's local node agents (it holds {}){}", lock.describe(),
                removed == 0 ? "" : "; removed " + removed + " node(s) an earlier holder left behind, their tasks "
                        + "requeued");
    }

    private void stopAgents() {
        leading = false;
        NodeProvisioner stopping = provisioner;
        provisioner = null;
        reported = new HashMap<>();
        if (stopping instanceof AutoCloseable agents) {
            try {
                agents.close();
            } catch (Exception e) {
                log.warn("Stopping the local node agents failed: {}", e.toString());
            }
        }
    }

    private void report() {
        reportPending.set(false);
        Map<String, PoolTargets> now = new HashMap<>();
        try {
            for (StoredResource pool : store.findInState(ResourceKind.POOL, PoolState.ACTIVE.wire(), MAX_ROWS)) {
                ObjectNode document = Json.readStored(pool.body());
                String account = pool.key().account();
                String poolId = document.path("id").asText(pool.key().id());
                now.put(key(account, poolId), new PoolTargets(account, poolId,
                        Math.max(0, document.path("targetDedicatedNodes").asInt(0)),
                        Math.max(0, document.path("targetLowPriorityNodes").asInt(0))));
            }
        } catch (RuntimeException storeFailed) {
            log.warn("Cannot read the pools to match their local node agents; trying again at the next check: {}",
                    storeFailed.toString());
            return;
        }
        now.forEach((key, targets) -> {
            if (!targets.equals(reported.get(key))) {
                provisioner.targetsChanged(targets.account(), targets.poolId(), targets.dedicated(),
                        targets.lowPriority());
            }
        });
        reported.forEach((key, targets) -> {
            if (!now.containsKey(key)) {
                provisioner.poolDeleted(targets.account(), targets.poolId());
            }
        });
        reported = now;
    }

    private void reportSoon() {
        if (leading && reportPending.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    if (provisioner != null && !closed) {
                        report();
                    }
                });
            } catch (RejectedExecutionException stopped) {
                // closed meanwhile
            }
        }
    }

    /** Runs {@code work} on the thread and waits for it (up to {@link #WAIT}); nothing runs once closed. */
    private void runOnThread(Runnable work) {
        try {
            thread.submit(work).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The local nodes check failed", e.getCause());
        } catch (TimeoutException e) {
            log.warn("The local nodes check did not finish within {}", WAIT);
        } catch (RejectedExecutionException stopped) {
            // closed
        }
    }

    private static String key(String account, String poolId) {
        return account.toLowerCase(Locale.ROOT) + "/" + poolId.toLowerCase(Locale.ROOT);
    }
}
