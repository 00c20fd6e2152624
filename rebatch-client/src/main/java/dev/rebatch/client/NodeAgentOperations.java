package dev.rebatch.client;

import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.errors.LeaseRefusedException;
import dev.rebatch.client.http.BatchRequest;
import dev.rebatch.client.http.BatchResponse;
import dev.rebatch.model.agent.AttemptCompleted;
import dev.rebatch.model.agent.AttemptStarted;
import dev.rebatch.model.agent.CompletionReports;
import dev.rebatch.model.agent.CompletionResults;
import dev.rebatch.model.agent.LeaseAnswer;
import dev.rebatch.model.agent.LeaseRequest;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.model.agent.NodeRegistrationRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The node-agent protocol (docs/node-agent-protocol.md): what a compute-node agent calls to join a pool, lease tasks
 * and report on them. Rebatch's own calls, not Batch operations; they are Shared Key signed as the pool's account like
 * any other call, and every call but {@link #register} carries the node's token. Every call goes through the client's
 * one retry handler, so an agent rides out a flaky service as any SDK user does. Obtain one from
 * {@link BatchClient#nodeAgent()}.
 *
 * <p>{@link #register} is safe to retry: it always names the node it makes (the request's {@code nodeId} and
 * {@code nodeToken}, drawn here when the caller chose none), so a retry after a lost answer is answered with that same
 * node and makes no second one.
 */
public final class NodeAgentOperations {

    /** The header that carries the node's token. */
    public static final String NODE_TOKEN_HEADER = "x-rebatch-node-token";

    /** The protocol's base path. */
    public static final String BASE = "/rebatch/node-agent/v1";

    /**
     * How much longer than its {@code waitMillis} a lease call's attempt may take: the service answers at the end of
     * the wait at the latest, so the margin covers the network and the service's own work.
     */
    public static final Duration LEASE_TIMEOUT_MARGIN = Duration.ofSeconds(5);

    private final BatchCalls calls;

    NodeAgentOperations(BatchCalls calls) {
        this.calls = calls;
    }

    /**
     * Joins the pool as the compute node the request names, or as a new one named here when it names none
     * ({@link NodeRegistrationRequest#withNewNode()}). Every attempt sends the same node id and token, so an attempt
     * after one whose answer was lost is answered with the node that one made. A caller that must be able to find the
     * node even if this call never returns (to make it leave later) names it itself, and keeps the name first.
     *
     * @throws BatchServiceException PoolNotFound, PoolBeingDeleted, NodeExists (the node the request names exists,
     *                               registered with another token or body), or a bad body
     */
    public NodeRegistration register(String poolId, NodeRegistrationRequest request, RequestOptions options) {
        NodeRegistrationRequest named = request.namesItsNode() ? request : request.withNewNode();
        BatchRequest http = BatchRequest.of("POST", pool(poolId) + "/nodes").withBody(calls.write(named));
        return calls.read(calls.send("register a node in pool " + poolId, http, options),
                calls.json().constructType(NodeRegistration.class));
    }

    /**
     * The lease call: the node's heartbeat, the renewal of the attempts it lists, and new tasks for its free slots.
     * The service may hold the call up to {@code request.waitMillis()}, so each attempt is given at least that plus
     * {@link #LEASE_TIMEOUT_MARGIN} (a shorter attempt timeout in {@code options} is raised to it).
     *
     * @throws BatchServiceException NodeNotFound or PoolNotFound (the node or its pool was deleted: register again if
     *                               the pool comes back), NodeTokenInvalid
     */
    public LeaseAnswer lease(NodeRegistration node, LeaseRequest request, RequestOptions options) {
        long wait = request.waitMillis() == null ? 0 : Math.max(0, request.waitMillis());
        Duration least = Duration.ofMillis(wait).plus(LEASE_TIMEOUT_MARGIN);
        RequestOptions leaseOptions = options.attemptTimeout() != null && options.attemptTimeout().compareTo(least) >= 0
                ? options : options.withAttemptTimeout(least);
        BatchRequest http = signed(node, BatchRequest.of("POST", nodePath(node) + "/leases")).withBody(
                calls.write(request));
        return calls.read(calls.send("lease call of node " + node.nodeId(), http, leaseOptions),
                calls.json().constructType(LeaseAnswer.class));
    }

    /**
     * Tells the service the attempt runs; renews its lease.
     *
     * @throws LeaseRefusedException the node no longer holds the attempt: stop it
     */
    public void started(NodeRegistration node, String jobId, String taskId, AttemptStarted report,
            RequestOptions options) {
        BatchRequest http = signed(node, BatchRequest.of("POST", attemptPath(node, jobId, taskId) + "/start"))
                .withBody(calls.write(report));
        try {
            calls.send("start report on " + jobId + "/" + taskId + " (epoch " + report.epoch() + ")", http, options);
        } catch (BatchServiceException refusal) {
            throw typed(refusal);
        }
    }

    /**
     * Reports how the attempt ended. A retry told LeaseNotHeld after an earlier attempt whose outcome is unknown (its
     * answer was lost, it timed out, it got a 5xx) is the echo of that attempt having been applied: the task left the
     * leased states because of it, and the call returns normally.
     *
     * @throws LeaseRefusedException the node no longer holds the attempt (requeued, terminated, superseded): drop it
     */
    public void completed(NodeRegistration node, String jobId, String taskId, AttemptCompleted report,
            RequestOptions options) {
        BatchRequest http = signed(node, BatchRequest.of("POST", attemptPath(node, jobId, taskId) + "/complete"))
                .withBody(calls.write(report));
        try {
            calls.send("completion report on " + jobId + "/" + taskId + " (epoch " + report.epoch() + ")", http,
                    options, EchoRule.<BatchResponse>of(applied -> null, LeaseRefusedException.LEASE_NOT_HELD),
                    response -> response);
        } catch (BatchServiceException refusal) {
            throw typed(refusal);
        }
    }

    /**
     * Reports several completions in one call; the service judges each on its own, as {@link #completed} would be.
     * A completion applied by an earlier attempt of this call whose answer was lost comes back refused with
     * LeaseNotHeld, like a retried single report: the task left the leased states because of it.
     *
     * @return one result per completion, in order
     * @throws BatchServiceException for the whole call: NodeNotFound, PoolNotFound, NodeTokenInvalid, a bad body
     */
    public CompletionResults completedAll(NodeRegistration node, CompletionReports reports, RequestOptions options) {
        BatchRequest http = signed(node, BatchRequest.of("POST", nodePath(node) + "/completions"))
                .withBody(calls.write(reports));
        return calls.read(calls.send(reports.completions().size() + " completion report(s) of node "
                + node.nodeId(), http, options), calls.json().constructType(CompletionResults.class));
    }

    /**
     * Leaves the pool: the node is removed from it and every task it still holds goes back to the queue at once
     * (requeueCount + 1), as a pool resized down with nodeDeallocationOption {@code requeue}. A retry told
     * NodeNotFound after an earlier attempt whose outcome is unknown is the echo of that attempt, and succeeds.
     *
     * @throws BatchServiceException NodeNotFound, PoolNotFound, NodeTokenInvalid
     */
    public void leave(NodeRegistration node, RequestOptions options) {
        BatchRequest http = signed(node, BatchRequest.of("POST", nodePath(node) + "/leave"))
                .withBody(calls.write(Map.of()));
        calls.send("node " + node.nodeId() + " leaves pool " + node.poolId(), http, options,
                EchoRule.<BatchResponse>of(gone -> null, "NodeNotFound"), response -> response);
    }

    private static BatchRequest signed(NodeRegistration node, BatchRequest request) {
        Objects.requireNonNull(node.nodeToken(), "the registration has no node token");
        return request.withHeader(NODE_TOKEN_HEADER, node.nodeToken());
    }

    private static RuntimeException typed(BatchServiceException refusal) {
        return LeaseRefusedException.isLeaseRefusal(refusal.errorCode()) ? new LeaseRefusedException(refusal)
                : refusal;
    }

    private static String pool(String poolId) {
        return BASE + "/pools/" + ResourcePaths.segment(poolId);
    }

    private static String nodePath(NodeRegistration node) {
        return pool(node.poolId()) + "/nodes/" + ResourcePaths.segment(node.nodeId());
    }

    private static String attemptPath(NodeRegistration node, String jobId, String taskId) {
        return nodePath(node) + "/leases/" + ResourcePaths.segment(jobId) + "/" + ResourcePaths.segment(taskId);
    }
}
