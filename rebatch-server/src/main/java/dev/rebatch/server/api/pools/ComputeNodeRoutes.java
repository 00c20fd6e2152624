package dev.rebatch.server.api.pools;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.Paging;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.store.StoredResource;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.Function;

/**
 * The compute node operations, answered for pools that have no nodes: compute nodes arrive with local node agents
 * (the execution issue). A missing pool is PoolNotFound before any node is looked at, as in Batch; every node is
 * NodeNotFound. The other node operations (users, reimage, files...) fall through to the catalog's refusal.
 */
final class ComputeNodeRoutes {

    private final Function<Context, StoredResource> findPool;

    ComputeNodeRoutes(Function<Context, StoredResource> findPool) {
        this.findPool = findPool;
    }

    void register(RoutesConfig routes) {
        routes.get("/pools/{poolId}/nodes", this::list);
        routes.get("/pools/{poolId}/nodes/{nodeId}", this::noSuchNode);
        for (String action : new String[] {"disablescheduling", "enablescheduling", "reboot"}) {
            routes.post("/pools/{poolId}/nodes/{nodeId}/" + action, this::noSuchNode);
        }
    }

    private void list(Context ctx) {
        findPool.apply(ctx);
        Paging.maxResults(ctx); // a bad maxresults is still refused, even with nothing to page
        var body = Json.MAPPER.createObjectNode();
        body.put("odata.metadata", RequestContext.of(ctx).baseUrl() + "/$metadata#nodes");
        body.putArray("value");
        ctx.status(200).contentType("application/json;odata=minimalmetadata").result(Json.write(body));
    }

    private void noSuchNode(Context ctx) {
        findPool.apply(ctx);
        throw new BatchException(BatchErrorCode.NodeNotFound, "The specified node does not exist.");
    }
}
