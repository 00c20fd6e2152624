package dev.rebatch.server;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.PendingDeletes;
import dev.rebatch.server.api.files.TaskFileRoutes;
import dev.rebatch.server.api.jobs.JobRoutes;
import dev.rebatch.server.api.pools.PoolRoutes;
import dev.rebatch.server.api.nodeagent.NodeAgentRoutes;
import dev.rebatch.server.api.tasks.TaskRoutes;
import dev.rebatch.server.dispatch.Dispatcher;
import dev.rebatch.server.dispatch.ExecutionSettings;
import dev.rebatch.server.dispatch.JobQueues;
import dev.rebatch.server.dispatch.LeasePolls;
import dev.rebatch.server.dispatch.LeaseReaper;
import dev.rebatch.server.dispatch.LeaseReports;
import dev.rebatch.server.dispatch.RunningTasks;
import dev.rebatch.server.dispatch.WorkSignals;
import dev.rebatch.server.faults.ConnectionDroppedException;
import dev.rebatch.server.faults.ConnectionDropper;
import dev.rebatch.server.faults.FaultAdminRoutes;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.metrics.ServiceMetrics;
import dev.rebatch.server.nodes.AgentFileClient;
import dev.rebatch.server.nodes.NodeProvisioner;
import dev.rebatch.server.nodes.LocalNodeLeadership;
import dev.rebatch.server.nodes.NodeRegistry;
import dev.rebatch.server.http.AccountThrottle;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.ErrorResponses;
import dev.rebatch.server.http.LoadShedder;
import dev.rebatch.server.http.NotModified;
import dev.rebatch.server.http.OperationCatalog;
import dev.rebatch.server.http.RequestAuthenticator;
import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.http.RequestPipeline;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.DeadlineExceededException;
import dev.rebatch.server.store.ResourceKind;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The Batch-compatible service: one Javalin (Jetty 12) server whose every Batch API request passes the
 * {@link RequestPipeline} and then one operation's routes. {@code GET /health} answers without credentials.
 */
public final class RebatchServer implements AutoCloseable {

    private final Javalin app;
    private final ExecutorService background;
    private final WorkSignals signals;
    private final LeaseReaper reaper;
    private final NodeAgentRoutes agents;
    private final NodeRegistry nodes;
    private final BatchStore store;
    private final RunningTasks runningTasks;
    private final ServiceMetrics metrics;

    private RebatchServer(Javalin app, ExecutorService background, WorkSignals signals, LeaseReaper reaper,
            NodeAgentRoutes agents, NodeRegistry nodes, BatchStore store, RunningTasks runningTasks,
            ServiceMetrics metrics) {
        this.nodes = nodes;
        this.store = store;
        this.runningTasks = runningTasks;
        this.metrics = metrics;
        this.app = app;
        this.background = background;
        this.signals = signals;
        this.reaper = reaper;
        this.agents = agents;
    }

    /** Starts on {@code port} (0 for an ephemeral one) with the given store and authenticator, and default limits. */
    public static RebatchServer start(String host, int port, BatchStore store, RequestAuthenticator authenticator,
            Clock clock) {
        return start(host, port, store, authenticator, clock, ServiceLimits.DEFAULTS, store::isSaturated);
    }

    /** As {@link #start(String, int, BatchStore, RequestAuthenticator, Clock, ServiceLimits, BooleanSupplier, FaultInjector)} with faults off. */
    public static RebatchServer start(String host, int port, BatchStore store, RequestAuthenticator authenticator,
            Clock clock, ServiceLimits limits, BooleanSupplier overloaded) {
        return start(host, port, store, authenticator, clock, limits, overloaded, FaultInjector.off());
    }

    /** As the full {@code start} with the default execution timing and no node provisioner. */
    public static RebatchServer start(String host, int port, BatchStore store, RequestAuthenticator authenticator,
            Clock clock, ServiceLimits limits, BooleanSupplier overloaded, FaultInjector faults) {
        return start(host, port, store, authenticator, clock, limits, overloaded, faults, ExecutionSettings.DEFAULTS,
                NodeProvisioner.NONE);
    }

    /**
     * Starts on {@code port} (0 for an ephemeral one).
     *
     * @param clock       the service's clock: every time it records, and on the embedded store the clock leases
     *                    expire by (on PostgreSQL they expire by the database's clock)
     * @param limits      per-account rate limits and the cap on requests in flight
     * @param overloaded  {@code true} while a dependency (the store's connection pool) is saturated: new requests are
     *                    then refused with 503 ServerBusy
     * @param faults      the fault injector (rules may be empty, and are changed at runtime through the admin paths)
     * @param execution   heartbeat, lease and reaper timing for node agents
     * @param provisioner what starts node agents for pools ({@link NodeProvisioner#NONE}: agents join by themselves)
     */
    public static RebatchServer start(String host, int port, BatchStore store, RequestAuthenticator authenticator,
            Clock clock, ServiceLimits limits, BooleanSupplier overloaded, FaultInjector faults,
            ExecutionSettings execution, NodeProvisioner provisioner) {
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        AccountThrottle throttle = new AccountThrottle(limits.clientRate(), limits.nodeAgentRate());
        LoadShedder shedder = new LoadShedder(limits.maxRequestsInFlight(), overloaded);
        OperationCatalog catalog = OperationCatalog.load();
        RequestPipeline pipeline = new RequestPipeline(authenticator, throttle, shedder, clock, catalog);
        PendingDeletes deletes = new PendingDeletes(store, background);
        deletes.resume(ResourceKind.JOB, ResourceKind.POOL);
        WorkSignals signals = new WorkSignals(store);
        JobQueues queues = new JobQueues(store, signals);
        RunningTasks runningTasks = new RunningTasks(store, queues, signals, clock);
        JobRoutes jobs = new JobRoutes(store, clock, deletes, queues, signals, runningTasks);
        runningTasks.jobActions(jobs.actions());
        jobs.resumeUnfinishedWork(background);
        TaskRoutes tasks = new TaskRoutes(store, clock, queues, signals, jobs.actions());
        TaskFileRoutes taskFiles = new TaskFileRoutes(store, AgentFileClient.withDefaults());
        PoolRoutes pools = new PoolRoutes(store, clock, deletes, provisioner, runningTasks, signals);
        NodeRegistry nodes = new NodeRegistry(store, clock, execution.leaseTtl());
        Dispatcher dispatcher = new Dispatcher(store, execution.leaseTtl(), queues::jobChanged);
        NodeAgentRoutes agents = new NodeAgentRoutes(nodes,
                new LeasePolls(store, nodes, dispatcher, signals, clock, execution),
                new LeaseReports(store, nodes, queues, signals, jobs.actions(), clock),
                pipeline, background, execution, runningTasks);
        LeaseReaper reaper = new LeaseReaper(store, queues, signals, clock, execution).start();
        FaultAdminRoutes faultAdmin = new FaultAdminRoutes(faults);
        ServiceMetrics metrics = new ServiceMetrics(faults.counter());
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // The pipeline enforces the 1 MB Batch limit with a Batch error; Jetty's own limit sits just above it.
            config.http.maxRequestSize = RequestPipeline.MAX_BODY_BYTES + 1L;
            RoutesConfig routes = config.routes;
            routes.get("/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
            routes.before(ctx -> {
                if (!ctx.path().equals("/health")) {
                    pipeline.handle(ctx);
                    // After authentication: faults are per account, and unauthenticated callers cannot trigger
                    // them. Never on the admin paths, or a rule could lock out the call that removes it.
                    if (!FaultAdminRoutes.isAdminPath(ctx.path())) {
                        faults.beforeOperation(ctx, operationId(catalog, ctx));
                    }
                }
            });
            routes.after(ctx -> {
                if (RequestContext.find(ctx) != null && !FaultAdminRoutes.isAdminPath(ctx.path())) {
                    faults.afterOperation(ctx, operationId(catalog, ctx));
                    if (!ConnectionDropper.dropped(ctx)) {
                        metrics.recordResponse(ctx); // a cut connection answered nothing, so it is not counted
                    }
                }
            });
            // Runs however the request ended; a no-op where the pipeline did not run (health).
            routes.after(pipeline::finish);
            faultAdmin.register(routes);
            metrics.register(routes);
            jobs.register(routes);
            tasks.register(routes);
            taskFiles.register(routes);
            pools.register(routes);
            agents.register(routes);
            for (var method : new String[] {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}) {
                registerFallback(routes, method, catalog);
            }
            // A fault closed the connection; there is no one left to answer.
            routes.exception(ConnectionDroppedException.class, (dropped, ctx) -> { });
            routes.exception(BatchException.class, (refusal, ctx) -> ErrorResponses.render(ctx, refusal));
            routes.exception(DeadlineExceededException.class,
                    (late, ctx) -> ErrorResponses.render(ctx, BatchException.operationTimedOut()));
            routes.exception(NotModified.class, (unchanged, ctx) -> unchanged.render(ctx));
            routes.exception(HttpResponseException.class, RebatchServer::renderFrameworkRefusal);
            routes.exception(Exception.class, (failure, ctx) -> ErrorResponses.renderUnexpected(ctx, failure));
        });
        app.start(host, port);
        return new RebatchServer(app, background, signals, reaper, agents, nodes, store, runningTasks, metrics);
    }

    public int port() {
        return app.port();
    }

    /** The service's metrics, for binding more meters. */
    public ServiceMetrics metrics() {
        return metrics;
    }

    /**
     * Removes every node that local node agents registered ({@link LocalNodeLeadership#LOCAL_AGENT_VERSION}), in
     * every account, and requeues the tasks they held, as their leaving would: the nodes an earlier holder of the
     * store's local nodes left behind.
     *
     * @return how many nodes were removed
     */
    public int removeLocalNodes() {
        return LocalNodeLeadership.removeLocalNodes(store, nodes, runningTasks::requeueHeldBy);
    }

    @Override
    public void close() {
        signals.close(); // waiting lease calls answer now instead of at the end of their wait
        try {
            agents.awaitAnswered(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reaper.close();
        app.stop();
        nodes.close(); // after the last report: writes what nodes did that is not written yet
        background.close();
    }

    private static void registerFallback(RoutesConfig routes, String method, OperationCatalog catalog) {
        io.javalin.http.Handler fallback = ctx -> {
            throw catalog.refusal(ctx.method().name(), ctx.path());
        };
        switch (method) {
            case "GET" -> routes.get("/*", fallback);
            case "POST" -> routes.post("/*", fallback);
            case "PUT" -> routes.put("/*", fallback);
            case "PATCH" -> routes.patch("/*", fallback);
            case "DELETE" -> routes.delete("/*", fallback);
            case "HEAD" -> routes.head("/*", fallback);
            default -> throw new IllegalArgumentException(method);
        }
    }

    private static String operationId(OperationCatalog catalog, Context ctx) {
        return catalog.find(ctx.method().name(), ctx.path()).map(OperationCatalog.Operation::operationId).orElse(null);
    }

    /** Jetty and Javalin refuse a few requests themselves (too large, bad verb); they still get Batch bodies. */
    private static void renderFrameworkRefusal(HttpResponseException refusal, Context ctx) {
        BatchException batch = switch (refusal.getStatus()) {
            case 413 -> new BatchException(BatchErrorCode.RequestBodyTooLarge,
                    "The request body is too large and exceeds the maximum permissible limit.",
                    BatchException.detail("MaxLimit", Integer.toString(RequestPipeline.MAX_BODY_BYTES)));
            case 405 -> new BatchException(BatchErrorCode.UnsupportedHttpVerb,
                    "The resource doesn't support the specified HTTP verb.");
            case 404 -> new BatchException(BatchErrorCode.ResourceNotFound, "The specified resource does not exist.");
            default -> new BatchException(BatchErrorCode.InvalidInput, "One of the request inputs is not valid.");
        };
        ErrorResponses.render(ctx, batch);
    }
}
