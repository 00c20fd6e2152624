package dev.rebatch.server.api.pools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.BodyChecks;
import dev.rebatch.server.api.Filters;
import dev.rebatch.server.api.OptimisticUpdates;
import dev.rebatch.server.api.Paging;
import dev.rebatch.server.api.Selection;
import dev.rebatch.server.dispatch.RunningTasks;
import dev.rebatch.server.dispatch.WorkSignals;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.nodes.ComputeNodes;
import dev.rebatch.server.nodes.NodeRegistry;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ListQuery;
import dev.rebatch.server.store.Page;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Set;
import java.util.function.Function;

/**
 * The compute node operations of the Batch API over the nodes node agents registered (see {@link NodeRegistry}):
 * list, get, disable and enable scheduling, reboot. A missing pool is PoolNotFound before any node is looked at, as in
 * Batch. The other node operations (users, reimage, files...) fall through to the catalog's refusal.
 *
 * <p>Disabling scheduling or rebooting with {@code requeue} (the default) or {@code terminate} ends the attempts the
 * node runs at once; the agent hears of it on its next lease call, which is woken. A reboot leaves the node
 * {@code rebooting} until its agent calls holding nothing; for an agent, a reboot means dropping its running tasks.
 */
final class ComputeNodeRoutes {

    private static final Set<String> DISABLE_OPTIONS = Set.of("requeue", "terminate", "taskcompletion");
    private static final Set<String> REBOOT_OPTIONS = Set.of("requeue", "terminate", "taskcompletion", "retaineddata");

    private final BatchStore store;
    private final Clock clock;
    private final Function<Context, StoredResource> findPool;
    private final RunningTasks runningTasks;
    private final WorkSignals signals;

    ComputeNodeRoutes(BatchStore store, Clock clock, Function<Context, StoredResource> findPool,
            RunningTasks runningTasks, WorkSignals signals) {
        this.store = store;
        this.clock = clock;
        this.findPool = findPool;
        this.runningTasks = runningTasks;
        this.signals = signals;
    }

    void register(RoutesConfig routes) {
        routes.get("/pools/{poolId}/nodes", this::list);
        routes.get("/pools/{poolId}/nodes/{nodeId}", this::get);
        routes.post("/pools/{poolId}/nodes/{nodeId}/disablescheduling", this::disableScheduling);
        routes.post("/pools/{poolId}/nodes/{nodeId}/enablescheduling", this::enableScheduling);
        routes.post("/pools/{poolId}/nodes/{nodeId}/reboot", this::reboot);
    }

    private void list(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        Selection selection = Selection.fromRequest(ctx, NodeView.PROPERTIES);
        StoredResource pool = findPool.apply(ctx);
        Page page = store.list(new ListQuery(request.account(), ResourceKind.NODE, pool.key().id(),
                Filters.fromRequest(ctx, ResourceKind.NODE), Paging.afterKey(ctx), Paging.maxResults(ctx)));
        ArrayNode items = Json.MAPPER.createArrayNode();
        page.items().forEach(node -> items.add(selection.apply(NodeView.of(node, request.baseUrl()))));
        Paging.write(ctx, "nodes", items, page);
    }

    private void get(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        Selection selection = Selection.fromRequest(ctx, NodeView.PROPERTIES);
        StoredResource node = find(ctx);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("odata.metadata", request.baseUrl() + "/$metadata#nodes/@Element");
        body.setAll(selection.apply(NodeView.of(node, request.baseUrl())));
        ctx.status(200).contentType("application/json;odata=minimalmetadata").result(Json.write(body));
    }

    private void disableScheduling(Context ctx) {
        String option = option(ctx, "nodeDisableSchedulingOption", DISABLE_OPTIONS);
        StoredResource node = setScheduling(ctx, "disabled");
        switch (option) {
            case "terminate" -> runningTasks.terminateHeldBy(node);
            case "taskcompletion" -> signals.nodeChanged(node.key().account(), node.key().parentId(), node.key().id());
            default -> runningTasks.requeueHeldBy(node);
        }
        acted(ctx, 200, node);
    }

    private void enableScheduling(Context ctx) {
        StoredResource node = setScheduling(ctx, "enabled");
        signals.nodeChanged(node.key().account(), node.key().parentId(), node.key().id());
        acted(ctx, 200, node);
    }

    private void reboot(Context ctx) {
        String option = option(ctx, "nodeRebootOption", REBOOT_OPTIONS);
        StoredResource rebooting = OptimisticUpdates.applyIfChanged(store, key(ctx), NodeRegistry::nodeNotFound,
                node -> {
                    switch (node.state()) {
                        case ComputeNodes.REBOOTING -> throw new BatchException(BatchErrorCode.NodeBeingRebooted,
                                "The specified node is already rebooting.");
                        case ComputeNodes.UNKNOWN -> throw new BatchException(BatchErrorCode.NodeStateUnusable,
                                "The service has lost contact with the specified node, so it cannot be rebooted.");
                        default -> { }
                    }
                    return ComputeNodes.withState(node, ComputeNodes.REBOOTING, Json.readStored(node.body()),
                            clock.instant());
                });
        switch (option) {
            case "terminate" -> runningTasks.terminateHeldBy(rebooting);
            case "taskcompletion" -> signals.nodeChanged(rebooting.key().account(), rebooting.key().parentId(),
                    rebooting.key().id());
            // requeue, and retaineddata: the task data stays on the agent's disk either way
            default -> runningTasks.requeueHeldBy(rebooting);
        }
        acted(ctx, 202, rebooting);
    }

    /** Sets schedulingState, refusing a node already there; an idle node becomes offline and back. */
    private StoredResource setScheduling(Context ctx, String scheduling) {
        return OptimisticUpdates.applyIfChanged(store, key(ctx), NodeRegistry::nodeNotFound, node -> {
            ObjectNode document = Json.readStored(node.body());
            if (scheduling.equals(document.path("schedulingState").asText("enabled"))) {
                throw new BatchException(BatchErrorCode.NodeAlreadyInTargetSchedulingState,
                        "The specified node is already in the target scheduling state.");
            }
            document.put("schedulingState", scheduling);
            String state = switch (node.state()) {
                case ComputeNodes.IDLE, ComputeNodes.OFFLINE ->
                        ComputeNodes.settledState(scheduling.equals("enabled"), 0);
                default -> node.state(); // running, rebooting, unknown: the node's next call settles it
            };
            return ComputeNodes.withState(node, state, document, clock.instant());
        });
    }

    private static String option(Context ctx, String name, Set<String> allowed) {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length == 0) {
            return "requeue";
        }
        ObjectNode body = Json.parseObject(raw);
        BodyChecks.rejectUnknown(body, Set.of(name), "");
        var value = body.get(name);
        if (value == null || value.isNull()) {
            return "requeue";
        }
        if (!value.isTextual() || !allowed.contains(value.asText())) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be one of " + allowed + ".");
        }
        return value.asText();
    }

    private StoredResource find(Context ctx) {
        return store.find(key(ctx)).orElseThrow(NodeRegistry::nodeNotFound);
    }

    /** The node the path names, after its pool was found. */
    private ResourceKey key(Context ctx) {
        StoredResource pool = findPool.apply(ctx);
        String nodeId = ctx.pathParam("nodeId");
        if (!BatchIds.isValid(nodeId)) {
            throw NodeRegistry.nodeNotFound();
        }
        return new ResourceKey(pool.key().account(), ResourceKind.NODE, pool.key().id(), nodeId);
    }

    private static void acted(Context ctx, int status, StoredResource node) {
        ctx.header("DataServiceId", NodeView.url(RequestContext.of(ctx).baseUrl(), node.key().parentId(),
                node.key().id()));
        ctx.status(status).result("");
    }
}
