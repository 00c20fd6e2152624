package dev.rebatch.client;

import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.http.BatchRequest;
import dev.rebatch.client.http.BatchResponse;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.PoolNodeCounts;
import dev.rebatch.model.pool.PoolPatch;
import dev.rebatch.model.pool.PoolResize;
import dev.rebatch.model.pool.PoolSpec;
import java.util.Objects;
import java.util.stream.Stream;

/** Pools: create, read, change, resize and delete. Obtain one from {@link BatchClient#pools()}. */
public final class PoolOperations {

    private final BatchCalls calls;

    PoolOperations(BatchCalls calls) {
        this.calls = calls;
    }

    public Created create(PoolSpec pool) {
        return create(pool, RequestOptions.DEFAULTS);
    }

    /**
     * Creates a pool. A retry after an unknown outcome that is told PoolExists reads the pool: when it is the one
     * this call sent, the create succeeded; otherwise a {@link dev.rebatch.client.errors.ResourceConflictException}
     * names the differences.
     */
    public Created create(PoolSpec pool, RequestOptions options) {
        BatchRequest request = BatchRequest.of("POST", "/pools").withBody(calls.write(pool));
        EchoRule<Created> echo = EchoRule.of(exists -> Confirmations.created(calls, "pool", pool.id(), pool, exists,
                () -> get(pool.id())), "PoolExists");
        return calls.send("create pool " + pool.id(), request, options, echo,
                response -> Responses.created(pool.id(), response));
    }

    public CloudPool get(String poolId) {
        return get(poolId, RequestOptions.DEFAULTS);
    }

    public CloudPool get(String poolId, RequestOptions options) {
        return calls.get("get pool " + poolId, BatchRequest.of("GET", ResourcePaths.pool(poolId)), options,
                CloudPool.class);
    }

    /** Whether the pool exists (a HEAD request); any answer but 200 or 404 PoolNotFound is thrown. */
    public boolean exists(String poolId, RequestOptions options) {
        try {
            calls.send("check pool " + poolId, BatchRequest.of("HEAD", ResourcePaths.pool(poolId)), options);
            return true;
        } catch (BatchServiceException answer) {
            if (answer.statusCode() == 404) {
                return false;
            }
            throw answer;
        }
    }

    public Stream<CloudPool> list() {
        return list(ListOptions.ALL, RequestOptions.DEFAULTS);
    }

    public Stream<CloudPool> list(ListOptions list, RequestOptions options) {
        return PagedList.stream(calls, "list pools", BatchRequest.of("GET", "/pools"), list, options, CloudPool.class);
    }

    /** Changes the properties {@code patch} sets and leaves the others as they are. */
    public void patch(String poolId, PoolPatch patch, RequestOptions options) {
        calls.send("patch pool " + poolId,
                BatchRequest.of("PATCH", ResourcePaths.pool(poolId)).withBody(calls.write(patch)), options);
    }

    public void resize(String poolId, PoolResize resize) {
        resize(poolId, resize, RequestOptions.DEFAULTS);
    }

    /**
     * Resizes a pool. A retry told PoolBeingResized succeeds when the pool's targets are the ones this call asked
     * for: the earlier attempt started the resize.
     */
    public void resize(String poolId, PoolResize resize, RequestOptions options) {
        BatchRequest request = BatchRequest.of("POST", ResourcePaths.pool(poolId) + "/resize")
                .withBody(calls.write(resize));
        EchoRule<BatchResponse> echo = EchoRule.of(refusal -> {
            CloudPool pool = get(poolId);
            if (!Objects.equals(pool.targetDedicatedNodes(), resize.targetDedicatedNodes())
                    || !Objects.equals(pool.targetLowPriorityNodes(), resize.targetLowPriorityNodes())) {
                throw refusal;
            }
            return null;
        }, "PoolBeingResized");
        calls.send("resize pool " + poolId, request, options, echo, response -> null);
    }

    /** Stops a resize in progress; the pool keeps the nodes it has. */
    public void stopResize(String poolId, RequestOptions options) {
        calls.send("stop resizing pool " + poolId, BatchRequest.of("POST", ResourcePaths.pool(poolId) + "/stopresize"),
                options);
    }

    public void delete(String poolId) {
        delete(poolId, RequestOptions.DEFAULTS);
    }

    /** Deletes a pool; a retry after an unknown outcome told PoolNotFound or PoolBeingDeleted counts as success. */
    public void delete(String poolId, RequestOptions options) {
        String what = "delete pool " + poolId;
        calls.send(what, BatchRequest.of("DELETE", ResourcePaths.pool(poolId)), options,
                EchoRule.of(gone -> Confirmations.gone(what, gone), "PoolNotFound", "PoolBeingDeleted"),
                response -> null);
    }

    /** The number of nodes in each state, per pool. */
    public Stream<PoolNodeCounts> nodeCounts(RequestOptions options) {
        return PagedList.stream(calls, "get node counts", BatchRequest.of("GET", "/nodecounts"), ListOptions.ALL,
                options, PoolNodeCounts.class);
    }
}
