package dev.rebatch.server.api.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.Filters;
import dev.rebatch.server.api.OptimisticUpdates;
import dev.rebatch.server.api.Paging;
import dev.rebatch.server.api.PendingDeletes;
import dev.rebatch.server.api.RetriedCreates;
import dev.rebatch.server.api.Selection;
import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.dispatch.JobActions;
import dev.rebatch.server.dispatch.JobQueues;
import dev.rebatch.server.dispatch.RunningTasks;
import dev.rebatch.server.dispatch.WorkSignals;
import dev.rebatch.server.execution.AllTasksComplete;
import dev.rebatch.server.execution.TaskCounts;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.EntityResponses;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.http.Preconditions;
import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ListQuery;
import dev.rebatch.server.store.Page;
import dev.rebatch.server.store.ResourceExistsException;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.SqlCondition;
import dev.rebatch.server.store.StoredResource;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/** The job operations of the Batch API (add, get, list, update, patch, delete, disable, enable, terminate). */
public final class JobRoutes {

    private static final Set<String> DISABLE_OPTIONS = Set.of("requeue", "terminate", "wait");

    private final BatchStore store;
    private final Clock clock;
    private final PendingDeletes deletes;
    private final JobQueues queues;
    private final WorkSignals signals;
    private final RunningTasks runningTasks;
    private final JobTermination termination;

    /**
     * @param queues       moves the job's tasks in and out of its pool's queue as the job changes
     * @param signals      wakes the nodes of the job's pool when its running tasks must stop (terminate, delete)
     * @param runningTasks requeues or terminates the job's running tasks when it is disabled
     */
    public JobRoutes(BatchStore store, Clock clock, PendingDeletes deletes, JobQueues queues, WorkSignals signals,
            RunningTasks runningTasks) {
        this.store = store;
        this.clock = clock;
        this.deletes = deletes;
        this.queues = queues;
        this.signals = signals;
        this.runningTasks = runningTasks;
        this.termination = new JobTermination(store, clock, signals);
    }

    /** What a task's completion may do to its job, carried out as the job operations do it. */
    public JobActions actions() {
        return new JobActions() {
            @Override
            public void terminate(StoredResource job, String reason) {
                try {
                    StoredResource terminating = OptimisticUpdates.apply(store, job.key(), JobRoutes::notFound,
                            Preconditions.none(), current -> {
                                JobRules.requireTerminable(JobState.fromWire(current.state()));
                                return markTerminating(current, reason);
                            });
                    termination.finish(terminating);
                } catch (BatchException alreadyEnding) {
                    // Completed, terminating or being deleted already: nothing more to do.
                }
            }

            @Override
            public void disable(StoredResource job) {
                StoredResource disabled;
                try {
                    disabled = OptimisticUpdates.apply(store, job.key(), JobRoutes::notFound,
                            Preconditions.none(), current -> {
                                JobRules.requireDisableable(JobState.fromWire(current.state()));
                                return transition(current, JobState.DISABLED);
                            });
                } catch (BatchException notActive) {
                    return; // not active any more: nothing to disable
                }
                queues.jobChanged(disabled);
                // The spec's jobAction disable is Job_Disable with disableTasks requeue.
                runningTasks.requeueOf(disabled);
            }

            @Override
            public void taskCompleted(StoredResource job) {
                terminateIfAllTasksComplete(job.key());
            }
        };
    }

    /**
     * Terminates the job with terminateReason AllTasksComplete when its onAllTasksComplete is terminatejob and no
     * task of it is left to run ({@link AllTasksComplete#shouldTerminate}). Asked after a task completes or is
     * removed, and after a change of the job; several instances may ask at once, and only one terminates it. The
     * decision is made against the job version the termination is written to, so a job changed meanwhile is judged
     * as it is now.
     */
    public void terminateIfAllTasksComplete(ResourceKey jobKey) {
        StoredResource found = store.find(jobKey).orElse(null);
        if (found == null || !AllTasksComplete.TERMINATE_JOB.equals(
                Json.readStored(found.body()).path("onAllTasksComplete").asText())) {
            return; // the common case costs one read of the job
        }
        boolean[] decided = {false};
        StoredResource terminating;
        try {
            terminating = OptimisticUpdates.applyIfChanged(store, jobKey, JobRoutes::notFound, job -> {
                decided[0] = false;
                if (!AllTasksComplete.shouldTerminate(job.state(), Json.readStored(job.body()), unfinished(job))) {
                    return null;
                }
                decided[0] = true;
                return markTerminating(job, AllTasksComplete.TERMINATE_REASON);
            });
        } catch (BatchException gone) {
            return;
        }
        if (decided[0]) {
            termination.finish(terminating);
        }
    }

    /**
     * Whether any task of {@code job} is active, preparing or running, as counts of 0 or 1 (all that
     * {@link TaskCounts#allCompleted} needs): three index lookups that stop at the first task found, where a count
     * would read every task of the job.
     */
    private TaskCounts unfinished(StoredResource job) {
        long[] found = new long[3];
        String[] states = {"active", "preparing", "running"};
        for (int i = 0; i < states.length; i++) {
            Page page = store.list(new ListQuery(job.key().account(), ResourceKind.TASK, job.key().id(),
                    new SqlCondition("state = ?", List.of(states[i])), null, 1));
            found[i] = page.items().isEmpty() ? 0 : 1;
        }
        return new TaskCounts(found[0], found[1] + found[2], 0);
    }

    /**
     * Finishes, in the background, the terminations a previous run left half done, and catches up the queue facts of
     * jobs changed just before it stopped.
     */
    public void resumeUnfinishedWork(Executor background) {
        termination.resume(background);
        background.execute(() -> queues.catchUp(10_000));
    }

    public void register(RoutesConfig routes) {
        routes.post("/jobs", this::add);
        routes.get("/jobs", this::list);
        routes.get("/jobs/{jobId}", this::get);
        routes.put("/jobs/{jobId}", ctx -> change(ctx, true));
        routes.patch("/jobs/{jobId}", ctx -> change(ctx, false));
        routes.delete("/jobs/{jobId}", this::delete);
        routes.post("/jobs/{jobId}/disable", this::disable);
        routes.post("/jobs/{jobId}/enable", this::enable);
        routes.post("/jobs/{jobId}/terminate", this::terminate);
    }

    private void add(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        ObjectNode body = JobValidator.validateAdd(Json.parseObject(ctx.bodyAsBytes()));
        String id = body.get("id").asText();
        body.with("executionInfo").put("startTime", Timestamps.iso(clock.instant()));
        if (body.path("poolInfo").has("poolId")) {
            body.with("executionInfo").put("poolId", body.path("poolInfo").path("poolId").asText());
        }
        Instant now = clock.instant();
        StoredResource job = new StoredResource(ResourceKey.topLevel(request.account(), ResourceKind.JOB, id),
                JobState.ACTIVE.wire(), Json.write(body), 1, now, now, now, null, null, request.clientRequestId());
        StoredResource stored;
        try {
            stored = store.insert(job);
        } catch (ResourceExistsException exists) {
            stored = replayOrConflict(exists.existing(), request, now);
        }
        ctx.header("Location", JobView.url(request.baseUrl(), stored.key().id()));
        EntityResponses.acted(ctx, 201, stored, JobView.url(request.baseUrl(), stored.key().id()));
    }

    /**
     * A create whose response was lost is retried with the same client-request-id: answer it with the original
     * success. Any other create of an existing id is 409 JobExists, as in Azure Batch.
     */
    private static StoredResource replayOrConflict(StoredResource existing, RequestContext request, Instant now) {
        if (!RetriedCreates.isReplay(existing, request, now)) {
            throw new BatchException(BatchErrorCode.JobExists, "The specified job already exists.");
        }
        return existing;
    }

    private void get(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        Preconditions conditions = Preconditions.of(ctx);
        Selection selection = Selection.fromRequest(ctx, JobView.PROPERTIES);
        StoredResource job = find(ctx);
        conditions.enforce(job);
        EntityResponses.entity(ctx, 200, job, "jobs/@Element", selection.apply(JobView.of(job, request.baseUrl())));
    }

    private void list(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        Selection selection = Selection.fromRequest(ctx, JobView.PROPERTIES);
        Page page = store.list(new ListQuery(request.account(), ResourceKind.JOB, "", Filters.fromRequest(ctx, ResourceKind.JOB),
                Paging.afterKey(ctx), Paging.maxResults(ctx)));
        ArrayNode items = Json.MAPPER.createArrayNode();
        page.items().forEach(job -> items.add(selection.apply(JobView.of(job, request.baseUrl()))));
        Paging.write(ctx, "jobs", items, page);
    }

    private void change(Context ctx, boolean replaceAll) {
        ObjectNode changes = Json.parseObject(ctx.bodyAsBytes());
        JobValidator.validateChange(changes, replaceAll);
        StoredResource updated = update(ctx, job -> {
            JobRules.requireChangeable(JobState.fromWire(job.state()));
            ObjectNode document = Json.readStored(job.body());
            if (replaceAll) {
                // Update replaces every updatable property: omitted ones go back to their defaults.
                document.put("priority", 0);
                document.put("maxParallelTasks", -1);
                document.put("allowTaskPreemption", false);
                document.put("onAllTasksComplete", "noaction");
                document.remove("metadata");
                document.with("constraints").put("maxWallClockTime", JobValidator.UNLIMITED);
                document.with("constraints").put("maxTaskRetryCount", 0);
            }
            changes.fields().forEachRemaining(field -> {
                if (field.getKey().equals("constraints") && field.getValue().isObject()) {
                    document.with("constraints").setAll((ObjectNode) field.getValue());
                } else {
                    document.set(field.getKey(), field.getValue());
                }
            });
            if (AllTasksComplete.TERMINATE_JOB.equals(Json.readStored(job.body()).path("onAllTasksComplete").asText())
                    && !AllTasksComplete.TERMINATE_JOB.equals(document.path("onAllTasksComplete").asText())) {
                // wire-notes 5.1: a job's completion behaviour may not go back from terminatejob to noaction (an
                // update that omits it would reset it, so it is refused too).
                throw BatchException.invalidProperty("onAllTasksComplete",
                        document.path("onAllTasksComplete").asText("noaction"),
                        "onAllTasksComplete cannot be changed from terminatejob to noaction.");
            }
            return StateTransitions.withDocument(job, document, clock.instant());
        });
        queues.jobChanged(updated); // priority or pool may have changed
        terminateIfAllTasksComplete(updated.key()); // set to terminatejob with every task complete
        EntityResponses.acted(ctx, 200, updated, JobView.url(RequestContext.of(ctx).baseUrl(), updated.key().id()));
    }

    private void disable(Context ctx) {
        ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
        String option = body.path("disableTasks").asText(null);
        if (option == null) {
            throw BatchException.missingProperty("disableTasks");
        }
        if (!DISABLE_OPTIONS.contains(option)) {
            throw BatchException.invalidProperty("disableTasks", option, "disableTasks must be one of " + DISABLE_OPTIONS + ".");
        }
        StoredResource updated = update(ctx, job -> {
            JobRules.requireDisableable(JobState.fromWire(job.state()));
            // Batch passes through "disabling" while running tasks are requeued or terminated; here that happens
            // right after, before the answer. No new task is granted from now on.
            return transition(job, JobState.DISABLED);
        });
        queues.jobChanged(updated);
        switch (option) {
            case "requeue" -> runningTasks.requeueOf(updated);
            case "terminate" -> runningTasks.terminateOf(updated);
            default -> { } // wait: running tasks finish
        }
        EntityResponses.acted(ctx, 202, updated, JobView.url(RequestContext.of(ctx).baseUrl(), updated.key().id()));
    }

    private void enable(Context ctx) {
        StoredResource updated = update(ctx, job -> {
            JobRules.requireEnableable(JobState.fromWire(job.state()));
            return transition(job, JobState.ACTIVE);
        });
        queues.jobChanged(updated); // back in its pool's queue; wakes the pool's nodes
        EntityResponses.acted(ctx, 202, updated, JobView.url(RequestContext.of(ctx).baseUrl(), updated.key().id()));
    }

    private void terminate(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        String reason = raw.length == 0 ? "UserTerminate"
                : Json.parseObject(raw).path("terminateReason").asText("UserTerminate");
        StoredResource terminating = update(ctx, job -> {
            JobRules.requireTerminable(JobState.fromWire(job.state()));
            return markTerminating(job, reason);
        });
        // Batch passes through "terminating" while the tasks end; here that happens before the answer.
        StoredResource updated = termination.finish(terminating);
        EntityResponses.acted(ctx, 202, updated, JobView.url(RequestContext.of(ctx).baseUrl(), updated.key().id()));
    }

    private void delete(Context ctx) {
        StoredResource deleting = update(ctx, job -> {
            JobRules.requireDeletable(JobState.fromWire(job.state()));
            return transition(job, JobState.DELETING);
        });
        // Deletes are asynchronous in Batch: 202 now, "deleting" until the job and its tasks are gone. No task of it is
        // granted from now on, and the nodes running any of them hear on their (woken) next lease call that they must
        // stop.
        signals.poolChanged(deleting.key().account(), JobQueues.poolId(deleting));
        deletes.deleteLater(deleting.key());
        EntityResponses.acted(ctx, 202, null, JobView.url(RequestContext.of(ctx).baseUrl(), deleting.key().id()));
    }

    private StoredResource find(Context ctx) {
        return store.find(key(ctx)).orElseThrow(JobRoutes::notFound);
    }

    /** The job the path names; a path id that no job could have is simply not found. */
    private static ResourceKey key(Context ctx) {
        String jobId = ctx.pathParam("jobId");
        if (!BatchIds.isValid(jobId)) {
            throw notFound();
        }
        return ResourceKey.topLevel(RequestContext.of(ctx).account(), ResourceKind.JOB, jobId);
    }

    /** Applies {@code change} to the job under the request's conditional headers (see {@link OptimisticUpdates}). */
    private StoredResource update(Context ctx, UnaryOperator<StoredResource> change) {
        return OptimisticUpdates.apply(store, key(ctx), JobRoutes::notFound, Preconditions.of(ctx), change);
    }

    private StoredResource markTerminating(StoredResource job, String reason) {
        return StateTransitions.to(job, JobState.TERMINATING.wire(), clock.instant(),
                document -> document.with("executionInfo").put("terminateReason", reason));
    }

    private StoredResource transition(StoredResource job, JobState next) {
        return StateTransitions.to(job, next.wire(), clock.instant(), document -> { });
    }

    private static BatchException notFound() {
        return new BatchException(BatchErrorCode.JobNotFound, "The specified job does not exist.");
    }
}
