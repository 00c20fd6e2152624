package dev.rebatch.server.api.pools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.Filters;
import dev.rebatch.server.api.OptimisticUpdates;
import dev.rebatch.server.api.Paging;
import dev.rebatch.server.api.PendingDeletes;
import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.api.RetriedCreates;
import dev.rebatch.server.dispatch.RunningTasks;
import dev.rebatch.server.dispatch.WorkSignals;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.EntityResponses;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.http.Preconditions;
import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.nodes.NodeProvisioner;
import dev.rebatch.server.nodes.PoolAllocation;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ListQuery;
import dev.rebatch.server.store.Page;
import dev.rebatch.server.store.ResourceExistsException;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The pool operations of the Batch API (add, get, exists, list, patch, update properties, resize, stop resize,
 * delete, node counts), and through {@link ComputeNodeRoutes} the compute node operations. A pool's nodes are the node
 * agents registered in it; its allocation follows them (see {@link PoolAllocation}, and {@link NodeProvisioner} for
 * what starts agents).
 */
public final class PoolRoutes {

    /** What update-properties resets when the request leaves it out (PoolUpdatePropertiesParameter). */
    private static final String DEFAULT_COMMUNICATION_MODE = "default";

    private final BatchStore store;
    private final Clock clock;
    private final PendingDeletes deletes;
    private final NodeProvisioner provisioner;
    private final WorkSignals signals;
    private final ComputeNodeRoutes nodes;

    public PoolRoutes(BatchStore store, Clock clock, PendingDeletes deletes, NodeProvisioner provisioner,
            RunningTasks runningTasks, WorkSignals signals) {
        this.store = store;
        this.clock = clock;
        this.deletes = deletes;
        this.provisioner = provisioner;
        this.signals = signals;
        this.nodes = new ComputeNodeRoutes(store, clock, this::find, runningTasks, signals);
    }

    public void register(RoutesConfig routes) {
        routes.post("/pools", this::add);
        routes.get("/pools", this::list);
        routes.get("/nodecounts", this::nodeCounts);
        routes.get("/pools/{poolId}", this::get);
        routes.head("/pools/{poolId}", this::exists);
        routes.patch("/pools/{poolId}", this::patch);
        routes.delete("/pools/{poolId}", this::delete);
        routes.post("/pools/{poolId}/updateproperties", this::updateProperties);
        routes.post("/pools/{poolId}/resize", this::resize);
        routes.post("/pools/{poolId}/stopresize", this::stopResize);
        nodes.register(routes);
    }

    private void add(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        ObjectNode body = PoolValidator.validateAdd(Json.parseObject(ctx.bodyAsBytes()));
        String id = body.get("id").asText();
        Instant now = clock.instant();
        // A new pool has no nodes; ones registered under a recreated id went with the pool it replaced.
        PoolAllocation.resized(body, 0, provisioner.provisions(), now);
        StoredResource pool = new StoredResource(ResourceKey.topLevel(request.account(), ResourceKind.POOL, id),
                PoolState.ACTIVE.wire(), Json.write(body), 1, now, now, now, null, null, request.clientRequestId());
        StoredResource stored;
        try {
            stored = store.insert(pool);
        } catch (ResourceExistsException exists) {
            if (!RetriedCreates.isReplay(exists.existing(), request, now)) {
                throw new BatchException(BatchErrorCode.PoolExists, "The specified pool already exists.");
            }
            stored = exists.existing();
        }
        targetsChanged(stored);
        String url = PoolView.url(request.baseUrl(), stored.key().id());
        ctx.header("Location", url);
        EntityResponses.acted(ctx, 201, stored, url);
    }

    private void get(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        Preconditions conditions = Preconditions.of(ctx);
        StoredResource pool = find(ctx);
        conditions.enforce(pool);
        EntityResponses.entity(ctx, 200, pool, "pools/@Element", PoolView.of(pool, request.baseUrl()));
    }

    /** Pool_Exists: 200 or 404, never a body (the 404's error body is dropped for HEAD by ErrorResponses). */
    private void exists(Context ctx) {
        Preconditions conditions = Preconditions.of(ctx);
        StoredResource pool = find(ctx);
        conditions.enforce(pool);
        EntityResponses.acted(ctx, 200, pool, PoolView.url(RequestContext.of(ctx).baseUrl(), pool.key().id()));
    }

    private void list(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        Page page = listPools(ctx);
        ArrayNode items = Json.MAPPER.createArrayNode();
        page.items().forEach(pool -> items.add(PoolView.of(pool, request.baseUrl())));
        Paging.write(ctx, "pools", items, page);
    }

    /** Account_ListPoolNodeCounts: every registered node is dedicated; there are no low-priority nodes. */
    private void nodeCounts(Context ctx) {
        Page page = listPools(ctx);
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (StoredResource pool : page.items()) {
            ObjectNode counts = items.addObject();
            counts.put("poolId", pool.key().id());
            counts.set("dedicated", NodeCounts.of(store.countByState(pool.key().account(), ResourceKind.NODE,
                    pool.key().id())));
            counts.set("lowPriority", NodeCounts.none());
        }
        Paging.write(ctx, "poolnodecounts", items, page);
    }

    private Page listPools(Context ctx) {
        return store.list(new ListQuery(RequestContext.of(ctx).account(), ResourceKind.POOL, "",
                Filters.fromRequest(ctx, ResourceKind.POOL), Paging.afterKey(ctx), Paging.maxResults(ctx)));
    }

    /** PoolPatchParameter: the properties given replace the pool's; the others are left as they are. */
    private void patch(Context ctx) {
        ObjectNode changes = Json.parseObject(ctx.bodyAsBytes());
        PoolValidator.validatePatch(changes);
        StoredResource updated = update(ctx, pool -> {
            PoolRules.requireChangeable(PoolState.fromWire(pool.state()));
            ObjectNode document = Json.readStored(pool.body());
            changes.fields().forEachRemaining(field -> {
                if (!field.getValue().isNull()) {
                    document.set(field.getKey(), field.getValue());
                }
            });
            return StateTransitions.withDocument(pool, document, clock.instant());
        });
        EntityResponses.acted(ctx, 200, updated, url(ctx, updated));
    }

    /** PoolUpdatePropertiesParameter replaces all five properties: an omitted one is removed or reset. */
    private void updateProperties(Context ctx) {
        ObjectNode changes = Json.parseObject(ctx.bodyAsBytes());
        PoolValidator.validateUpdateProperties(changes);
        // The spec gives Pool_UpdateProperties no conditional headers (wire-notes 1.4), so none are checked here.
        StoredResource updated = OptimisticUpdates.apply(store, key(ctx), PoolRoutes::notFound, Preconditions.none(), pool -> {
            PoolRules.requireChangeable(PoolState.fromWire(pool.state()));
            ObjectNode document = Json.readStored(pool.body());
            document.remove("startTask");
            document.put("targetNodeCommunicationMode", DEFAULT_COMMUNICATION_MODE);
            changes.fields().forEachRemaining(field -> {
                if (!field.getValue().isNull()) {
                    document.set(field.getKey(), field.getValue());
                }
            });
            return StateTransitions.withDocument(pool, document, clock.instant());
        });
        EntityResponses.acted(ctx, 204, updated, url(ctx, updated));
    }

    /**
     * Records the new targets; the pool is resizing until its registered nodes reach them when a provisioner starts
     * agents, steady at once otherwise (see {@link PoolAllocation}). A target left out of the request keeps its
     * current value.
     */
    private void resize(Context ctx) {
        ObjectNode changes = Json.parseObject(ctx.bodyAsBytes());
        PoolValidator.validateResize(changes);
        StoredResource updated = update(ctx, pool -> {
            ObjectNode document = Json.readStored(pool.body());
            PoolRules.requireResizable(PoolState.fromWire(pool.state()), allocation(document));
            for (String target : new String[] {"targetDedicatedNodes", "targetLowPriorityNodes"}) {
                if (changes.hasNonNull(target)) {
                    document.put(target, changes.get(target).asInt());
                }
            }
            document.put("resizeTimeout", changes.path("resizeTimeout").asText(PoolValidator.DEFAULT_RESIZE_TIMEOUT));
            document.remove("resizeErrors");
            PoolAllocation.resized(document, registeredNodes(pool), provisioner.provisions(), clock.instant());
            return StateTransitions.withDocument(pool, document, clock.instant());
        });
        targetsChanged(updated);
        EntityResponses.acted(ctx, 202, updated, url(ctx, updated));
    }

    /** Stopping passes through "stopping" in Batch; here the pool keeps the nodes it has, at once. */
    private void stopResize(Context ctx) {
        StoredResource updated = update(ctx, pool -> {
            ObjectNode document = Json.readStored(pool.body());
            PoolRules.requireStoppable(PoolState.fromWire(pool.state()), allocation(document));
            PoolAllocation.stopped(document, registeredNodes(pool), clock.instant());
            return StateTransitions.withDocument(pool, document, clock.instant());
        });
        provisioner.resizeStopped(updated.key().account(), updated.key().id());
        EntityResponses.acted(ctx, 202, updated, url(ctx, updated));
    }

    private void delete(Context ctx) {
        StoredResource deleting = update(ctx, pool -> {
            PoolRules.requireDeletable(PoolState.fromWire(pool.state()));
            Instant now = clock.instant();
            return new StoredResource(pool.key(), PoolState.DELETING.wire(), pool.body(), pool.version(),
                    pool.creationTime(), now, now, pool.exitCode(), pool.executionResult(), pool.createRequestId());
        });
        // Deletes are asynchronous in Batch: 202 now, "deleting" until the pool and its nodes are gone. Their agents
        // learn on their next lease call (NodeNotFound); their tasks' leases lapse and the tasks are requeued.
        provisioner.poolDeleted(deleting.key().account(), deleting.key().id());
        deletes.deleteLater(deleting.key());
        signals.poolChanged(deleting.key().account(), deleting.key().id());
        EntityResponses.acted(ctx, 202, null, url(ctx, deleting));
    }

    private int registeredNodes(StoredResource pool) {
        return (int) store.countByState(pool.key().account(), ResourceKind.NODE, pool.key().id()).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    private void targetsChanged(StoredResource pool) {
        ObjectNode document = Json.readStored(pool.body());
        provisioner.targetsChanged(pool.key().account(), pool.key().id(),
                document.path("targetDedicatedNodes").asInt(0), document.path("targetLowPriorityNodes").asInt(0));
    }

    private static AllocationState allocation(ObjectNode document) {
        return AllocationState.fromWire(document.path("allocationState").asText(AllocationState.STEADY.wire()));
    }

    StoredResource find(Context ctx) {
        return store.find(key(ctx)).orElseThrow(PoolRoutes::notFound);
    }

    /** The pool the path names; an id no pool could have is simply not found. */
    private static ResourceKey key(Context ctx) {
        String poolId = ctx.pathParam("poolId");
        if (!BatchIds.isValid(poolId)) {
            throw notFound();
        }
        return ResourceKey.topLevel(RequestContext.of(ctx).account(), ResourceKind.POOL, poolId);
    }

    /** Reads, checks the conditional headers, changes and writes the pool, retrying when another writer raced. */
    private StoredResource update(Context ctx, UnaryOperator<StoredResource> change) {
        Preconditions conditions = Preconditions.of(ctx);
        return OptimisticUpdates.apply(store, key(ctx), PoolRoutes::notFound, conditions, change);
    }

    private static String url(Context ctx, StoredResource pool) {
        return PoolView.url(RequestContext.of(ctx).baseUrl(), pool.key().id());
    }

    static BatchException notFound() {
        return new BatchException(BatchErrorCode.PoolNotFound, "The specified pool does not exist.");
    }
}
