package dev.rebatch.server.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.OptimisticUpdates;
import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.api.pools.PoolState;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ParentChangedException;
import dev.rebatch.server.store.ParentCondition;
import dev.rebatch.server.store.ResourceExistsException;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute nodes node agents register as: joining a pool, proving a call comes from the node (its token), its
 * heartbeat, and the node's state and counters as it runs tasks. A node is a NODE resource under its pool, so it is
 * listed by the Batch node operations and removed with its pool.
 */
public final class NodeRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
    /** A pool takes nodes until it is being deleted (its only other state). */
    private static final Set<String> POOL_STATES_ACCEPTING_NODES = Set.of(PoolState.ACTIVE.wire());

    /** How often what nodes did is written to their rows (see {@link NodeActivity}). */
    static final Duration ACTIVITY_INTERVAL = Duration.ofSeconds(1);
    /**
     * A node's liveness is written at most this often: a node calls at every grant and completion, and its lease TTL
     * (25 s) needs no refresh per call.
     */
    static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(1);

    private final BatchStore store;
    private final Clock clock;
    private final Duration liveness;
    private final NodeActivity activity;
    /** When this instance last wrote each node's liveness, by the service clock. */
    private final Map<ResourceKey, Instant> keptAlive = new ConcurrentHashMap<>();

    /** @param liveness how long a node counts as alive after its last call (the lease TTL) */
    public NodeRegistry(BatchStore store, Clock clock, Duration liveness) {
        this.store = store;
        this.clock = clock;
        this.liveness = liveness;
        this.activity = new NodeActivity(ACTIVITY_INTERVAL, this::writeActivity);
    }

    /** Writes what nodes did that is not written yet, and stops gathering. */
    @Override
    public void close() {
        activity.close();
    }

    /**
     * Adds a node to a pool, idle and schedulable. A registration that names its node ({@link AgentRegistration#identity})
     * and finds that node in the pool already is a repeat (its answer was lost): it answers that node again, and makes
     * no other. The store's key makes the node once, however many instances take the repeat at the same time.
     *
     * @throws BatchException PoolNotFound, PoolBeingDeleted; NodeExists for a repeat with another token or body
     */
    public Registration register(String account, String poolId, AgentRegistration agent, String ipAddress) {
        StoredResource pool = pool(account, poolId);
        if (!POOL_STATES_ACCEPTING_NODES.contains(pool.state())) {
            throw poolBeingDeleted();
        }
        ObjectNode poolDocument = Json.readStored(pool.body());
        int poolSlots = Math.max(1, poolDocument.path("taskSlotsPerNode").asInt(1));
        int slots = agent.taskSlots() == null ? poolSlots : Math.min(poolSlots, agent.taskSlots());
        NodeIdentity identity = agent.identity();
        String token = identity == null ? NodeTokens.newToken() : identity.token();
        String filesKey = NodeTokens.newToken();
        StoredResource stored = null;
        while (stored == null) {
            String nodeId = identity == null ? ComputeNodes.newId() : identity.nodeId();
            Instant now = clock.instant();
            ObjectNode document = ComputeNodes.newDocument(nodeId, poolDocument, agent, slots, ipAddress,
                    NodeTokens.hash(token), filesKey, now);
            try {
                // Stored only while the pool is not being deleted: a delete that came first refuses the node, one
                // that comes after removes it with the pool.
                stored = store.insertUnder(ParentCondition.of(pool, POOL_STATES_ACCEPTING_NODES),
                        new StoredResource(new ResourceKey(account, ResourceKind.NODE, pool.key().id(), nodeId),
                                ComputeNodes.IDLE, Json.write(document), 1, now, now, now, null, null, null));
            } catch (ResourceExistsException exists) {
                if (identity != null) {
                    return repeated(exists.existing(), agent, poolSlots);
                }
                // A node id the service drew: 128 random bits collide practically never; draw again.
            } catch (ParentChangedException poolChanged) {
                throw poolChanged.current().isPresent() ? poolBeingDeleted() : poolNotFound();
            }
        }
        joined(stored);
        log.info("Node {} ({}) joined pool {} of account {} with {} task slot(s)", stored.key().id(),
                agent.hostname(), pool.key().id(), account, slots);
        return new Registration(stored, token, filesKey, poolSlots, slots);
    }

    /**
     * A registration that named {@code node}, which exists: the same node again when it is a repeat of the
     * registration that made it (the same token and body), else NodeExists. The token is what proves it: a caller who
     * only knows the node id (any reader of ComputeNode_List does) learns nothing, not even the files key.
     */
    private Registration repeated(StoredResource node, AgentRegistration agent, int poolSlots) {
        if (!NodeTokens.matches(agent.identity().token(), ComputeNodes.tokenHash(node))
                || !agent.request().equals(ComputeNodes.registrationRequest(node))) {
            log.info("Refused a registration naming node {} of pool {} ({}): the node exists, registered with "
                    + "another token or body", node.key().id(), node.key().parentId(), node.key().account());
            throw new BatchException(BatchErrorCode.NodeExists, "The specified node already exists, registered "
                    + "with another node token or another registration body.");
        }
        // The first call may have ended (its instance stopped) between storing the node and what follows.
        joined(node);
        log.info("Node {} ({}) of pool {} of account {} registered again: a repeat of its registration",
                node.key().id(), agent.hostname(), node.key().parentId(), node.key().account());
        return new Registration(node, agent.identity().token(), ComputeNodes.filesKey(node), poolSlots,
                ComputeNodes.taskSlots(node));
    }

    /** A node is in its pool: alive for a lease TTL from now, and counted. */
    private void joined(StoredResource node) {
        store.keepAlive(node.key(), liveness, clock.instant());
        poolSizeChanged(node.key().account(), node.key().parentId());
    }

    /**
     * The node a node-agent call acts for, if {@code token} is its token.
     *
     * @throws BatchException PoolNotFound, NodeNotFound, NodeTokenInvalid
     */
    public StoredResource authenticate(String account, String poolId, String nodeId, String token) {
        if (!BatchIds.isValid(poolId)) {
            throw poolNotFound();
        }
        // A node's row goes with its pool's (one transaction), so a node found means its pool is there: the pool is
        // read only to tell which of the two is missing. Every agent call comes here; that is one read less each.
        Optional<StoredResource> found = BatchIds.isValid(nodeId)
                ? store.find(new ResourceKey(account, ResourceKind.NODE, poolId, nodeId)) : Optional.empty();
        if (found.isEmpty()) {
            pool(account, poolId);
            throw nodeNotFound();
        }
        StoredResource node = found.get();
        if (!NodeTokens.matches(token, ComputeNodes.tokenHash(node))) {
            log.info("Refused a call for node {} of pool {} ({}): wrong or missing {}", nodeId, poolId, account,
                    NodeTokens.HEADER);
            throw new BatchException(BatchErrorCode.NodeTokenInvalid,
                    "The node token is missing or is not the one this node was registered with.",
                    BatchException.detail("HeaderName", NodeTokens.HEADER));
        }
        return node;
    }

    /** The node, re-read (its state may have changed since the call began). */
    public StoredResource find(ResourceKey node) {
        if (!BatchIds.isValid(node.id())) {
            throw nodeNotFound();
        }
        return store.find(node).orElseThrow(NodeRegistry::nodeNotFound);
    }

    /** The node called: it is alive for another lease TTL (written at most every {@link #KEEP_ALIVE_INTERVAL}). */
    public void heartbeat(ResourceKey node) {
        Instant now = clock.instant();
        Instant last = keptAlive.get(node);
        if (last != null && !now.isBefore(last) && Duration.between(last, now).compareTo(KEEP_ALIVE_INTERVAL) < 0) {
            return;
        }
        store.keepAlive(node, liveness, now);
        keptAlive.put(node, now);
    }

    /**
     * Brings a node's state and running counts in line with the tasks it runs now: a node that was lost or rebooting
     * is back once it calls holding nothing, a rebooting one stays so while it still finishes tasks. A change of state
     * is written at once; new counts alone follow with the node's other activity ({@link NodeActivity}).
     *
     * @param current the node as just read
     */
    public StoredResource settle(StoredResource current, int runningTasks, int runningSlots) {
        activity.running(current.key(), runningTasks, runningSlots);
        if (settledState(current, runningTasks).equals(current.state())) {
            return current;
        }
        NodeActivity.Gathered gathered = activity.take(current.key()); // written with the state, once
        return change(current.key(), node -> {
            ObjectNode document = Json.readStored(node.body());
            String state = settledState(node, runningTasks);
            if (gathered != null) {
                gathered.applyTo(document);
            }
            if (node.state().equals(ComputeNodes.REBOOTING) && !state.equals(ComputeNodes.REBOOTING)) {
                document.put("lastBootTime", Timestamps.iso(clock.instant()));
            }
            return withState(node, state, document);
        });
    }

    private static String settledState(StoredResource node, int runningTasks) {
        if (node.state().equals(ComputeNodes.REBOOTING) && runningTasks > 0) {
            return ComputeNodes.REBOOTING;
        }
        boolean enabled = !"disabled".equals(Json.readStored(node.body()).path("schedulingState").asText());
        return ComputeNodes.settledState(enabled, runningTasks);
    }

    /** Records tasks just granted to the node (recentTasks, totalTasksRun), written with its next activity. */
    public void recordGrants(ResourceKey node, List<ObjectNode> taskInformation) {
        activity.granted(node, taskInformation);
    }

    /** Records a task the node finished (recentTasks, totalTasksSucceeded), written with its next activity. */
    public void recordCompletion(ResourceKey node, ObjectNode taskInformation, boolean succeeded) {
        activity.completed(node, taskInformation, succeeded);
    }

    /** Adds what {@code node} did to its row. */
    private void writeActivity(ResourceKey node, NodeActivity.Gathered gathered) {
        change(node, current -> {
            ObjectNode document = Json.readStored(current.body());
            if (!gathered.changes(document)) {
                return null;
            }
            gathered.applyTo(document);
            return StateTransitions.withDocument(current, document, clock.instant());
        });
    }

    /** Removes a node from its pool (it left) and recounts the pool; its tasks are for the caller to requeue. */
    public void remove(StoredResource node) {
        activity.take(node.key());
        keptAlive.remove(node.key());
        if (store.delete(node.key())) {
            log.info("Node {} left pool {} of account {}", node.key().id(), node.key().parentId(),
                    node.key().account());
        }
        poolSizeChanged(node.key().account(), node.key().parentId());
    }

    /** Recounts a pool's registered nodes into its allocation (see {@link PoolAllocation}). */
    public void poolSizeChanged(String account, String poolId) {
        ResourceKey key = ResourceKey.topLevel(account, ResourceKind.POOL, poolId);
        try {
            OptimisticUpdates.applyIfChanged(store, key, NodeRegistry::poolNotFound, pool -> {
                Map<String, Long> byState = store.countByState(account, ResourceKind.NODE, poolId);
                int registered = (int) byState.values().stream().mapToLong(Long::longValue).sum();
                ObjectNode document = Json.readStored(pool.body());
                if (!PoolAllocation.nodesChanged(document, registered, clock.instant())) {
                    return null; // unchanged: writing it anyway would only move the ETag
                }
                return StateTransitions.withDocument(pool, document, clock.instant());
            });
        } catch (BatchException poolGone) {
            // Deleted meanwhile: nothing left to count.
        }
    }

    /** Applies {@code change} (null: no change) to the node, retrying when another writer raced. */
    private StoredResource change(ResourceKey node, UnaryOperator<StoredResource> change) {
        return OptimisticUpdates.applyIfChanged(store, node, NodeRegistry::nodeNotFound, change);
    }

    private StoredResource withState(StoredResource node, String state, ObjectNode document) {
        return ComputeNodes.withState(node, state, document, clock.instant());
    }

    private StoredResource pool(String account, String poolId) {
        if (!BatchIds.isValid(poolId)) {
            throw poolNotFound();
        }
        return store.find(ResourceKey.topLevel(account, ResourceKind.POOL, poolId))
                .orElseThrow(NodeRegistry::poolNotFound);
    }

    private static BatchException poolBeingDeleted() {
        return new BatchException(BatchErrorCode.PoolBeingDeleted,
                "The specified pool has been marked for deletion and is being reclaimed.");
    }

    public static BatchException nodeNotFound() {
        return new BatchException(BatchErrorCode.NodeNotFound, "The specified node does not exist.");
    }

    private static BatchException poolNotFound() {
        return new BatchException(BatchErrorCode.PoolNotFound, "The specified pool does not exist.");
    }
}
