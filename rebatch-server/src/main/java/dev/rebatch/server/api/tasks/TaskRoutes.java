package dev.rebatch.server.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchError;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.Filters;
import dev.rebatch.server.api.OptimisticUpdates;
import dev.rebatch.server.api.Paging;
import dev.rebatch.server.api.RetriedCreates;
import dev.rebatch.server.api.Selection;
import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.api.jobs.JobState;
import dev.rebatch.server.dispatch.CompletionRules;
import dev.rebatch.server.dispatch.JobActions;
import dev.rebatch.server.dispatch.JobQueues;
import dev.rebatch.server.dispatch.TaskTermination;
import dev.rebatch.server.dispatch.WorkSignals;
import dev.rebatch.server.execution.TaskCompletion;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.EntityResponses;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.http.Preconditions;
import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStore.InsertOutcome;
import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.ListQuery;
import dev.rebatch.server.store.Page;
import dev.rebatch.server.store.ParentChangedException;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The task operations of the Batch API: add, add collection, list, get, update, delete, terminate, reactivate. */
public final class TaskRoutes {

    /** The most tasks one add-collection request may carry (spec TaskAddCollectionParameter). */
    public static final int MAX_TASKS_PER_COLLECTION = 100;
    /** A job deleted and re-created this often during one add is being hammered; the add gives up (500). */
    private static final int MAX_ROUNDS_FOR_A_REPLACED_JOB = 3;

    private final BatchStore store;
    private final Clock clock;
    private final JobQueues queues;
    private final WorkSignals signals;
    private final JobActions jobActions;

    /**
     * @param queues     puts added and reactivated tasks in their job's queue and wakes the pool's nodes
     * @param signals    tells the node running a task that was terminated or deleted
     * @param jobActions ends a job whose onAllTasksComplete is terminatejob when its last task completes
     */
    public TaskRoutes(BatchStore store, Clock clock, JobQueues queues, WorkSignals signals, JobActions jobActions) {
        this.store = store;
        this.clock = clock;
        this.queues = queues;
        this.signals = signals;
        this.jobActions = jobActions;
    }

    public void register(RoutesConfig routes) {
        routes.post("/jobs/{jobId}/tasks", this::add);
        routes.post("/jobs/{jobId}/addtaskcollection", this::addCollection);
        routes.get("/jobs/{jobId}/tasks", this::list);
        routes.get("/jobs/{jobId}/taskcounts", this::counts);
        routes.get("/jobs/{jobId}/tasks/{taskId}", this::get);
        routes.put("/jobs/{jobId}/tasks/{taskId}", this::update);
        routes.delete("/jobs/{jobId}/tasks/{taskId}", this::delete);
        routes.post("/jobs/{jobId}/tasks/{taskId}/terminate", this::terminate);
        routes.post("/jobs/{jobId}/tasks/{taskId}/reactivate", this::reactivate);
        routes.get("/jobs/{jobId}/tasks/{taskId}/subtasksinfo", this::subtasks);
    }

    private void add(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        InsertOutcome outcome = null;
        for (int round = 1; outcome == null; round++) {
            StoredResource job = jobAcceptingTasks(ctx);
            ObjectNode body = TaskValidator.validateAdd(Json.parseObject(ctx.bodyAsBytes()), jobSettings(job));
            List<InsertOutcome> outcomes = insertTasks(job, List.of(newTask(request, job, body)), round);
            outcome = outcomes == null ? null : outcomes.getFirst();
        }
        StoredResource stored = outcome.resource();
        if (!outcome.created() && !isReplay(stored, request)) {
            throw new BatchException(BatchErrorCode.TaskExists, "The specified task already exists.");
        }
        String url = TaskView.url(request.baseUrl(), stored.key().parentId(), stored.key().id());
        ctx.header("Location", url);
        EntityResponses.acted(ctx, 201, stored, url);
    }

    /**
     * Each task is validated on its own and gets its own result, as Batch does: invalid tasks are client errors,
     * the valid ones are stored in one transaction. A request that is itself wrong (not a list, more than 100
     * tasks, not JSON) is refused whole and stores nothing.
     */
    private void addCollection(Context ctx) {
        ObjectNode response = null;
        for (int round = 1; response == null; round++) {
            response = addCollection(ctx, jobAcceptingTasks(ctx), round);
        }
        ctx.status(200).contentType("application/json;odata=minimalmetadata").result(Json.write(response));
    }

    /** The add-collection response, or {@code null} when the job was replaced by a new one meanwhile. */
    private ObjectNode addCollection(Context ctx, StoredResource job, int round) {
        RequestContext request = RequestContext.of(ctx);
        ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
        JsonNode tasks = body.get("value");
        if (tasks == null || tasks.isNull()) {
            throw BatchException.missingProperty("value");
        }
        if (!tasks.isArray()) {
            throw BatchException.invalidProperty("value", "", "value must be a list of tasks.");
        }
        if (tasks.size() > MAX_TASKS_PER_COLLECTION) {
            throw new BatchException(BatchErrorCode.InvalidPropertyValue,
                    "The value provided for one of the properties in the request body is invalid.",
                    BatchException.detail("PropertyName", "value"),
                    BatchException.detail("Reason", "A collection may hold at most " + MAX_TASKS_PER_COLLECTION
                            + " tasks; this one has " + tasks.size() + "."));
        }
        TaskValidator.JobSettings settings = jobSettings(job);
        List<ObjectNode> results = new ArrayList<>();
        List<StoredResource> toInsert = new ArrayList<>();
        List<Integer> insertSlots = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode task : tasks) {
            String taskId = task.path("id").asText("");
            try {
                ObjectNode valid = TaskValidator.validateAdd(task, settings);
                if (!seen.add(ResourceKey.lower(taskId))) {
                    throw new BatchException(BatchErrorCode.TaskExists, "The specified task already exists.");
                }
                insertSlots.add(results.size());
                results.add(null);
                toInsert.add(newTask(request, job, valid));
            } catch (BatchException refusal) {
                results.add(clientError(taskId, refusal, request));
            }
        }
        List<InsertOutcome> outcomes = toInsert.isEmpty() ? List.of() : insertTasks(job, toInsert, round);
        if (outcomes == null) {
            return null;
        }
        for (int i = 0; i < outcomes.size(); i++) {
            InsertOutcome outcome = outcomes.get(i);
            StoredResource stored = outcome.resource();
            boolean success = outcome.created() || isReplay(stored, request);
            results.set(insertSlots.get(i), success
                    ? success(stored, request, job.key().id())
                    : clientError(stored.key().id(),
                            new BatchException(BatchErrorCode.TaskExists, "The specified task already exists."), request));
        }
        ObjectNode response = Json.MAPPER.createObjectNode();
        ArrayNode value = response.putArray("value");
        results.forEach(value::add);
        return response;
    }

    /**
     * Stores tasks of the job as read, if it still accepts tasks when they are stored: a terminate or delete of the
     * job (through any service instance) that came first refuses them as it would have refused the request. Returns
     * {@code null} when the job was deleted and created again under its id meanwhile, so the caller starts over with
     * the new job (the tasks were validated against the old one's settings).
     */
    private List<InsertOutcome> insertTasks(StoredResource job, List<StoredResource> tasks, int round) {
        try {
            return queues.insertTasks(job, TaskRules.JOB_STATES_ACCEPTING_TASKS, tasks);
        } catch (ParentChangedException changed) {
            StoredResource now = changed.current().orElseThrow(TaskRoutes::jobNotFound);
            TaskRules.requireJobAcceptsTasks(JobState.fromWire(now.state()));
            if (round >= MAX_ROUNDS_FOR_A_REPLACED_JOB) {
                throw changed;
            }
            return null;
        }
    }

    private void list(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        Selection selection = Selection.fromRequest(ctx, TaskView.PROPERTIES);
        StoredResource job = job(ctx);
        Page page = store.list(new ListQuery(request.account(), ResourceKind.TASK, job.key().id(), Filters.fromRequest(ctx, ResourceKind.TASK),
                Paging.afterKey(ctx), Paging.maxResults(ctx)));
        ArrayNode items = Json.MAPPER.createArrayNode();
        page.items().forEach(task -> items.add(selection.apply(TaskView.of(task, request.baseUrl(), job.key().id()))));
        Paging.write(ctx, "tasks", items, page);
    }

    private void counts(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        StoredResource job = job(ctx);
        Map<String, Long> byState = store.countByState(request.account(), ResourceKind.TASK, job.key().id());
        Map<String, Long> byResult = store.countByResult(request.account(), ResourceKind.TASK, job.key().id());
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("odata.metadata", request.baseUrl() + "/$metadata#taskcountsresult/@Element");
        for (String section : new String[] {"taskCounts", "taskSlotCounts"}) {
            // Every task takes one slot until requiredSlots is honoured by scheduling (execution issue).
            ObjectNode counts = response.putObject(section);
            counts.put("active", byState.getOrDefault("active", 0L));
            counts.put("running", byState.getOrDefault("running", 0L) + byState.getOrDefault("preparing", 0L));
            counts.put("completed", byState.getOrDefault("completed", 0L));
            counts.put("succeeded", byResult.getOrDefault("success", 0L));
            counts.put("failed", byResult.getOrDefault("failure", 0L));
        }
        ctx.status(200).contentType("application/json;odata=minimalmetadata").result(Json.write(response));
    }

    private void get(Context ctx) {
        RequestContext request = RequestContext.of(ctx);
        Preconditions conditions = Preconditions.of(ctx);
        Selection selection = Selection.fromRequest(ctx, TaskView.PROPERTIES);
        StoredResource task = task(ctx);
        conditions.enforce(task);
        EntityResponses.entity(ctx, 200, task, "tasks/@Element",
                selection.apply(TaskView.of(task, request.baseUrl(), task.key().parentId())));
    }

    private void update(Context ctx) {
        ObjectNode changes = Json.parseObject(ctx.bodyAsBytes());
        TaskValidator.validateUpdate(changes);
        StoredResource updated = change(ctx, task -> {
            TaskRules.requireNotCompleted(TaskState.fromWire(task.state()));
            ObjectNode document = Json.readStored(task.body());
            // TaskUpdateParameter replaces the constraints; omitted constraints go back to their defaults.
            if (changes.has("constraints") && changes.get("constraints").isObject()) {
                document.set("constraints", changes.get("constraints"));
            } else {
                document.remove("constraints");
            }
            return StateTransitions.withDocument(task, document, clock.instant());
        });
        EntityResponses.acted(ctx, 200, updated, url(ctx, updated));
    }

    private void delete(Context ctx) {
        // The version deleted is the one the conditional headers were checked against, and its state says whether
        // a node was running it.
        StoredResource task = OptimisticUpdates.delete(store, taskKey(ctx), TaskRoutes::taskNotFound,
                Preconditions.of(ctx));
        if (DispatchStore.LEASED.contains(task.state())) {
            signals.taskEnded(task);
        }
        StoredResource job = job(ctx);
        if (usesTaskDependencies(job)) {
            queues.dependenciesChanged(job.key()); // a parent is gone: its dependents are judged again
        }
        if (!task.state().equals("completed")) {
            jobActions.taskCompleted(job); // it may have been the last task left to run
        }
        EntityResponses.acted(ctx, 200, null, url(ctx, task));
    }

    private void terminate(Context ctx) {
        StoredResource updated = change(ctx, task -> {
            TaskRules.requireNotCompleted(TaskState.fromWire(task.state()));
            return TaskTermination.completed(task, clock.instant());
        });
        // previousState is the state it was terminated in: a running task's node must stop it.
        if (DispatchStore.LEASED.contains(Json.readStored(updated.body()).path("previousState").asText())) {
            signals.taskEnded(updated);
        }
        StoredResource job = job(ctx);
        if (usesTaskDependencies(job)) {
            // Its exit options may satisfy its dependents: let the pool's nodes look.
            signals.poolChanged(job.key().account(), JobQueues.poolId(job));
        }
        jobActions.taskCompleted(job);
        EntityResponses.acted(ctx, 204, updated, url(ctx, updated));
    }

    private void reactivate(Context ctx) {
        StoredResource updated = change(ctx, task -> {
            TaskRules.requireReactivatable(TaskState.fromWire(task.state()), task.executionResult());
            return CompletionRules.apply(task, TaskCompletion.reactivate(Json.readStored(task.body())), clock.instant());
        });
        StoredResource job = job(ctx);
        queues.tasksWaiting(job, 1);
        if (usesTaskDependencies(job)) {
            queues.dependenciesChanged(job.key()); // dependents it blocked wait for it again
        }
        EntityResponses.acted(ctx, 204, updated, url(ctx, updated));
    }

    private void subtasks(Context ctx) {
        task(ctx);
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("odata.metadata", RequestContext.of(ctx).baseUrl() + "/$metadata#subtaskinformations");
        response.putArray("value"); // Multi-instance tasks are not run yet, so no task has subtasks.
        ctx.status(200).contentType("application/json;odata=minimalmetadata").result(Json.write(response));
    }

    private StoredResource newTask(RequestContext request, StoredResource job, ObjectNode body) {
        Instant now = clock.instant();
        ObjectNode execution = body.with("executionInfo");
        execution.put("retryCount", 0);
        execution.put("requeueCount", 0);
        return new StoredResource(new ResourceKey(request.account(), ResourceKind.TASK, job.key().id(),
                body.get("id").asText()), TaskState.ACTIVE.wire(), Json.write(body), 1, now, now, now, null, null,
                request.clientRequestId());
    }

    /** A create retried with the client-request-id of the create that made the task (see {@link RetriedCreates}). */
    private boolean isReplay(StoredResource existing, RequestContext request) {
        return RetriedCreates.isReplay(existing, request, clock.instant());
    }

    private static ObjectNode success(StoredResource task, RequestContext request, String jobId) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("status", "success");
        result.put("taskId", task.key().id());
        result.put("eTag", EntityResponses.etag(task));
        result.put("lastModified", Timestamps.iso(task.lastModified()));
        result.put("location", TaskView.url(request.baseUrl(), jobId, task.key().id()));
        return result;
    }

    private static ObjectNode clientError(String taskId, BatchException refusal, RequestContext request) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("status", "clienterror");
        result.put("taskId", taskId);
        BatchError error = new BatchError(null, refusal.code().name(), new BatchError.ErrorMessage("en-US",
                refusal.getMessage() + "\nRequestId:" + request.requestId() + "\nTime:" + Timestamps.iso(request.received())),
                refusal.details());
        result.set("error", Json.MAPPER.valueToTree(error));
        return result;
    }

    private StoredResource jobAcceptingTasks(Context ctx) {
        StoredResource job = job(ctx);
        TaskRules.requireJobAcceptsTasks(JobState.fromWire(job.state()));
        return job;
    }

    private static boolean usesTaskDependencies(StoredResource job) {
        return Json.readStored(job.body()).path("usesTaskDependencies").asBoolean(false);
    }

    private static TaskValidator.JobSettings jobSettings(StoredResource job) {
        return TaskValidator.JobSettings.of(Json.readStored(job.body()));
    }

    private StoredResource job(Context ctx) {
        String jobId = ctx.pathParam("jobId");
        if (!BatchIds.isValid(jobId)) {
            throw jobNotFound();
        }
        return store.find(ResourceKey.topLevel(RequestContext.of(ctx).account(), ResourceKind.JOB, jobId))
                .orElseThrow(TaskRoutes::jobNotFound);
    }

    private ResourceKey taskKey(Context ctx) {
        StoredResource job = job(ctx);
        String taskId = ctx.pathParam("taskId");
        if (!BatchIds.isValid(taskId)) {
            throw taskNotFound();
        }
        return new ResourceKey(job.key().account(), ResourceKind.TASK, job.key().id(), taskId);
    }

    private StoredResource task(Context ctx) {
        return store.find(taskKey(ctx)).orElseThrow(TaskRoutes::taskNotFound);
    }

    /** Applies {@code change} to the task under the request's conditional headers (see {@link OptimisticUpdates}). */
    private StoredResource change(Context ctx, java.util.function.UnaryOperator<StoredResource> change) {
        return OptimisticUpdates.apply(store, taskKey(ctx), TaskRoutes::taskNotFound, Preconditions.of(ctx), change);
    }

    private static String url(Context ctx, StoredResource task) {
        return TaskView.url(RequestContext.of(ctx).baseUrl(), task.key().parentId(), task.key().id());
    }

    private static BatchException jobNotFound() {
        return new BatchException(BatchErrorCode.JobNotFound, "The specified job does not exist.");
    }

    private static BatchException taskNotFound() {
        return new BatchException(BatchErrorCode.TaskNotFound, "The specified task does not exist.");
    }
}
