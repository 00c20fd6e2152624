package dev.rebatch.server.api.nodeagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.dispatch.Cancellation;
import dev.rebatch.server.dispatch.ExecutionSettings;
import dev.rebatch.server.dispatch.Grant;
import dev.rebatch.server.dispatch.HeldAttempt;
import dev.rebatch.server.dispatch.LeasePolls;
import dev.rebatch.server.dispatch.LeaseReports;
import dev.rebatch.server.dispatch.PollResult;
import dev.rebatch.server.dispatch.RunningTasks;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.http.RequestPipeline;
import dev.rebatch.server.nodes.NodeRegistry;
import dev.rebatch.server.nodes.NodeTokens;
import dev.rebatch.server.nodes.Registration;
import dev.rebatch.server.store.StoredResource;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;

/**
 * The node-agent protocol, version 1 (docs/architecture.md, "How a task runs"): registration, the lease call
 * (heartbeat, renewals, cancellations, grants; a long poll), and the reports on each attempt. Every call is Shared-Key signed as
 * the pool's account (an agent of one account cannot act in another), and every call but registration also carries
 * the node's token (an agent cannot act for another node).
 */
public final class NodeAgentRoutes {

    /** The protocol's base path; a future incompatible version would be served beside it. */
    public static final String BASE = RequestPipeline.NODE_AGENT_PREFIX + "v1";

    /** A task's properties that the service keeps about it, not given by its submitter: a lease leaves them out. */
    private static final Set<String> SERVICE_OWNED = Set.of("id", "url", "eTag", "lastModified", "creationTime",
            "state", "stateTransitionTime", "previousState", "previousStateTransitionTime", "executionInfo",
            "nodeInfo", "stats");

    private final NodeRegistry nodes;
    private final LeasePolls polls;
    private final LeaseReports reports;
    private final RequestPipeline pipeline;
    private final Executor waiting;
    private final ExecutionSettings settings;
    /** Lease calls taken and not yet answered. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final RunningTasks runningTasks;

    /** @param waiting runs the lease calls that wait (virtual threads: a waiting call costs no platform thread) */
    public NodeAgentRoutes(NodeRegistry nodes, LeasePolls polls, LeaseReports reports, RequestPipeline pipeline,
            Executor waiting, ExecutionSettings settings, RunningTasks runningTasks) {
        this.nodes = nodes;
        this.polls = polls;
        this.reports = reports;
        this.pipeline = pipeline;
        this.waiting = waiting;
        this.settings = settings;
        this.runningTasks = runningTasks;
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE + "/pools/{poolId}/nodes", this::registerNode);
        routes.post(BASE + "/pools/{poolId}/nodes/{nodeId}/leases", this::leases);
        routes.post(BASE + "/pools/{poolId}/nodes/{nodeId}/leases/{jobId}/{taskId}/start", this::started);
        routes.post(BASE + "/pools/{poolId}/nodes/{nodeId}/leases/{jobId}/{taskId}/complete", this::completed);
        routes.post(BASE + "/pools/{poolId}/nodes/{nodeId}/completions", this::completions);
        routes.post(BASE + "/pools/{poolId}/nodes/{nodeId}/leave", this::leave);
    }

    private void registerNode(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        var agent = NodeAgentBodies.registration(Json.parseObject(ctx.bodyAsBytes()));
        Registration registration = nodes.register(request.account(), ctx.pathParam("poolId"), agent, ctx.ip());
        StoredResource node = registration.node();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("nodeId", node.key().id());
        body.put("nodeToken", registration.token());
        body.put("filesKey", registration.filesKey());
        body.put("poolId", node.key().parentId());
        body.put("nodeUrl", request.baseUrl() + "/pools/" + node.key().parentId() + "/nodes/" + node.key().id());
        body.put("taskSlotsPerNode", registration.taskSlotsPerNode());
        body.put("taskSlots", registration.taskSlots());
        timing(body);
        ctx.status(201).contentType("application/json").result(Json.write(body));
    }

    /** The lease call: answered at once when there is news, otherwise when work arrives or the wait ends. */
    private void leases(Context ctx) {
        StoredResource node = authenticatedNode(ctx);
        var poll = NodeAgentBodies.poll(Json.parseObject(ctx.bodyAsBytes()));
        inFlight.incrementAndGet();
        ctx.future(() -> CompletableFuture.supplyAsync(() -> {
            try {
                return polls.poll(node, poll, () -> pipeline.releaseAdmission(ctx));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, waiting).thenAccept(result -> ctx.status(200).contentType("application/json")
                .result(Json.write(answer(result))))
                .whenComplete((done, failed) -> answered()));
    }

    /**
     * Waits up to {@code timeout} for the lease calls in flight to have answered. The service calls it when it stops,
     * after waking every waiting call: a call that answers after the server stopped finds its exchange recycled.
     */
    public void awaitAnswered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inFlight) {
            long remaining;
            while (inFlight.get() > 0 && (remaining = deadline - System.nanoTime()) > 0) {
                inFlight.wait(Math.max(1, remaining / 1_000_000));
            }
        }
    }

    private void answered() {
        synchronized (inFlight) {
            inFlight.decrementAndGet();
            inFlight.notifyAll();
        }
    }

    private void started(Context ctx) {
        StoredResource node = authenticatedNode(ctx);
        long epoch = NodeAgentBodies.started(Json.parseObject(ctx.bodyAsBytes()));
        reports.started(node, ctx.pathParam("jobId"), ctx.pathParam("taskId"), epoch);
        ctx.status(204);
    }

    private void completed(Context ctx) {
        StoredResource node = authenticatedNode(ctx);
        var completion = NodeAgentBodies.completion(Json.parseObject(ctx.bodyAsBytes()));
        reports.completed(node, ctx.pathParam("jobId"), ctx.pathParam("taskId"), completion.epoch(),
                completion.outcome());
        ctx.status(204);
    }

    /**
     * Several completions in one call: each accepted or refused on its own, as a single report would be. When the
     * report offers slots (those its completions free), the node's next tasks are granted in the same call, so a busy
     * node makes one call per round rather than a report and then a lease call.
     */
    private void completions(Context ctx) {
        StoredResource node = authenticatedNode(ctx);
        NodeAgentBodies.CompletionsReport report = NodeAgentBodies.completions(Json.parseObject(ctx.bodyAsBytes()));
        List<LeaseReports.ReportedCompletion> completions = report.completions().stream()
                .map(c -> new LeaseReports.ReportedCompletion(c.jobId(), c.taskId(), c.completion().epoch(),
                        c.completion().outcome()))
                .toList();
        boolean offered = report.freeSlots() > 0;
        // With slots offered the grant below takes them; the node's waiting lease call is woken only for those left.
        List<Optional<BatchException>> outcomes = reports.completedAll(node, completions, !offered);
        List<Grant> grants = offered ? polls.grantOffered(node, report.freeSlots()) : List.of();
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode results = body.putArray("results");
        for (int i = 0; i < completions.size(); i++) {
            LeaseReports.ReportedCompletion completion = completions.get(i);
            ObjectNode result = attempt(results.addObject(), completion.jobId(), completion.taskId(),
                    completion.epoch());
            outcomes.get(i).ifPresent(refused -> result.put("code", refused.code().name())
                    .put("message", refused.getMessage()));
        }
        if (offered) {
            leases(body, grants);
        }
        ctx.status(200).contentType("application/json").result(Json.write(body));
    }

    /**
     * The node leaves its pool (its agent stops, or the pool shrinks): the node is removed first, so that no lease
     * call of it can be granted anything more, then every task it still holds is requeued at once, as Batch's
     * nodeDeallocationOption {@code requeue} does.
     */
    private void leave(Context ctx) {
        StoredResource node = authenticatedNode(ctx);
        NodeAgentBodies.leave(Json.parseObject(ctx.bodyAsBytes()));
        nodes.remove(node);
        runningTasks.requeueHeldBy(node);
        ctx.status(204);
    }

    private StoredResource authenticatedNode(Context ctx) {
        return nodes.authenticate(RequestContext.of(ctx).account(), ctx.pathParam("poolId"), ctx.pathParam("nodeId"),
                ctx.header(NodeTokens.HEADER));
    }

    private ObjectNode answer(PollResult result) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode node = body.putObject("node");
        node.put("state", result.node().state());
        node.put("schedulingState", Json.readStored(result.node().body()).path("schedulingState").asText("enabled"));
        body.put("reboot", result.reboot());
        ArrayNode renewed = body.putArray("renewed");
        for (HeldAttempt attempt : result.renewed()) {
            attempt(renewed.addObject(), attempt.jobId(), attempt.taskId(), attempt.epoch());
        }
        ArrayNode cancellations = body.putArray("cancellations");
        for (Cancellation cancellation : result.cancellations()) {
            attempt(cancellations.addObject(), cancellation.jobId(), cancellation.taskId(), cancellation.epoch())
                    .put("reason", cancellation.reason());
        }
        leases(body, result.grants());
        timing(body);
        return body;
    }

    /** The {@code leases} of an answer: each granted task with its job's settings and its epoch. */
    private static void leases(ObjectNode body, List<Grant> grants) {
        ArrayNode leases = body.putArray("leases");
        // A call's grants are mostly tasks of one job: its settings are made once per job, not once per task.
        Map<String, ObjectNode> jobs = new HashMap<>();
        for (Grant grant : grants) {
            StoredResource task = grant.task().resource();
            ObjectNode lease = attempt(leases.addObject(), task.key().parentId(), task.key().id(),
                    grant.task().lease().epoch());
            lease.set("task", runnable(task, grant.document()));
            lease.set("job", jobs.computeIfAbsent(grant.job().key().idKey(), k -> jobSettings(grant.job())));
        }
    }

    /**
     * The task as its node runs it: its id and everything its submitter gave (commandLine, environmentSettings,
     * resourceFiles, constraints, userIdentity, requiredSlots...), without what the service keeps about it (state,
     * times, eTag, url, executionInfo, nodeInfo, stats), which the node never reads: for a trivial task about 60 bytes
     * instead of the view's 750, serialized by the service and parsed by the agent for every task.
     */
    private static ObjectNode runnable(StoredResource task, ObjectNode document) {
        ObjectNode runnable = Json.MAPPER.createObjectNode();
        runnable.put("id", task.key().id());
        document.properties().forEach(property -> {
            if (!SERVICE_OWNED.contains(property.getKey())) {
                runnable.set(property.getKey(), property.getValue());
            }
        });
        return runnable;
    }

    /** What the agent needs from the job to run its task: the environment every task of the job gets. */
    private static ObjectNode jobSettings(StoredResource job) {
        ObjectNode settings = Json.MAPPER.createObjectNode();
        settings.put("id", job.key().id());
        JsonNode environment = Json.readStored(job.body()).get("commonEnvironmentSettings");
        settings.set("commonEnvironmentSettings", environment == null ? Json.MAPPER.createArrayNode() : environment);
        return settings;
    }

    private static ObjectNode attempt(ObjectNode into, String jobId, String taskId, long epoch) {
        into.put("jobId", jobId);
        into.put("taskId", taskId);
        into.put("epoch", epoch);
        return into;
    }

    private void timing(ObjectNode body) {
        body.put("heartbeatIntervalMillis", settings.heartbeatInterval().toMillis());
        body.put("leaseTtlMillis", settings.leaseTtl().toMillis());
    }
}
