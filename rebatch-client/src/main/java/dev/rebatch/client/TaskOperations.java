package dev.rebatch.client;

import dev.rebatch.client.http.BatchRequest;
import dev.rebatch.client.http.BatchResponse;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskAddCollection;
import dev.rebatch.model.task.TaskAddCollectionResult;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.model.task.TaskUpdate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Tasks: add (one, a collection, or any number in bulk), read, change, terminate, reactivate and delete. */
public final class TaskOperations {

    private final BatchCalls calls;
    private final BulkTaskAdd bulk;
    private final TaskWaiter waiter;

    TaskOperations(BatchCalls calls, JobOperations jobs) {
        this.calls = calls;
        this.bulk = new BulkTaskAdd(calls, this);
        this.waiter = new TaskWaiter(jobs, calls.handler());
    }

    public Created create(String jobId, TaskSpec task) {
        return create(jobId, task, RequestOptions.DEFAULTS);
    }

    /**
     * Adds one task. A retry after an unknown outcome that is told TaskExists reads the task: when it is the one
     * this call sent, the add succeeded; otherwise a {@link dev.rebatch.client.errors.ResourceConflictException}
     * names the differences.
     */
    public Created create(String jobId, TaskSpec task, RequestOptions options) {
        BatchRequest request = BatchRequest.of("POST", ResourcePaths.job(jobId) + "/tasks").withBody(calls.write(task));
        EchoRule<Created> echo = EchoRule.of(exists -> Confirmations.created(calls, "task", task.id(), task, exists,
                () -> get(jobId, task.id())), "TaskExists");
        return calls.send("add task " + task.id() + " to job " + jobId, request, options, echo,
                response -> Responses.created(task.id(), response));
    }

    /**
     * One add-collection request: at most 100 tasks and under 1 MB. The service answers each task separately; this
     * returns those answers as they are. Prefer {@link #addTasks}, which splits, retries and resolves for you.
     */
    public TaskAddCollectionResult addCollection(String jobId, List<TaskSpec> tasks, RequestOptions options) {
        BatchRequest request = BatchRequest.of("POST", ResourcePaths.job(jobId) + "/addtaskcollection")
                .withBody(calls.write(new TaskAddCollection(tasks)));
        BatchResponse response = calls.send("add " + tasks.size() + " tasks to job " + jobId, request, options);
        return calls.read(response, calls.json().constructType(TaskAddCollectionResult.class));
    }

    public BulkAddResult addTasks(String jobId, Collection<TaskSpec> tasks) {
        return addTasks(jobId, tasks, BulkAddOptions.DEFAULTS);
    }

    /**
     * Adds any number of tasks: split into requests of at most 100 tasks and under 1 MB, sent in parallel, each task
     * that failed with a server error retried under the client's policy and retry budget, TaskExists after a retry
     * resolved by reading the task. Never throws for a task's failure: the result has every task's outcome.
     */
    public BulkAddResult addTasks(String jobId, Collection<TaskSpec> tasks, BulkAddOptions options) {
        return bulk.add(jobId, List.copyOf(tasks), options);
    }

    public CloudTask get(String jobId, String taskId) {
        return get(jobId, taskId, RequestOptions.DEFAULTS);
    }

    public CloudTask get(String jobId, String taskId, RequestOptions options) {
        return calls.get("get task " + taskId + " of job " + jobId,
                BatchRequest.of("GET", ResourcePaths.task(jobId, taskId)), options, CloudTask.class);
    }

    public Stream<CloudTask> list(String jobId) {
        return list(jobId, ListOptions.ALL, RequestOptions.DEFAULTS);
    }

    public Stream<CloudTask> list(String jobId, ListOptions list) {
        return list(jobId, list, RequestOptions.DEFAULTS);
    }

    /** The job's tasks, fetched page by page as the stream is consumed. */
    public Stream<CloudTask> list(String jobId, ListOptions list, RequestOptions options) {
        return PagedList.stream(calls, "list tasks of job " + jobId,
                BatchRequest.of("GET", ResourcePaths.job(jobId) + "/tasks"), list, options, CloudTask.class);
    }

    /** Replaces the task's constraints. */
    public void update(String jobId, String taskId, TaskUpdate update, RequestOptions options) {
        calls.send("update task " + taskId + " of job " + jobId,
                BatchRequest.of("PUT", ResourcePaths.task(jobId, taskId)).withBody(calls.write(update)), options);
    }

    public void delete(String jobId, String taskId) {
        delete(jobId, taskId, RequestOptions.DEFAULTS);
    }

    /** Deletes a task; a retry after an unknown outcome that is told TaskNotFound counts as success. */
    public void delete(String jobId, String taskId, RequestOptions options) {
        String what = "delete task " + taskId + " of job " + jobId;
        calls.send(what, BatchRequest.of("DELETE", ResourcePaths.task(jobId, taskId)), options,
                EchoRule.of(gone -> Confirmations.gone(what, gone), "TaskNotFound"), response -> null);
    }

    public void terminate(String jobId, String taskId) {
        terminate(jobId, taskId, RequestOptions.DEFAULTS);
    }

    /** Terminates a task; a retry told TaskCompleted succeeds (the task is completed either way). */
    public void terminate(String jobId, String taskId, RequestOptions options) {
        calls.send("terminate task " + taskId + " of job " + jobId,
                BatchRequest.of("POST", ResourcePaths.task(jobId, taskId) + "/terminate"), options,
                stateRule(jobId, taskId, Set.of("completed"), "TaskCompleted"), response -> null);
    }

    public void reactivate(String jobId, String taskId) {
        reactivate(jobId, taskId, RequestOptions.DEFAULTS);
    }

    /**
     * Reactivates a task that completed with a failure: its retry count starts again from 0. A retry told
     * TaskNotCompleted succeeds when the task is active, preparing or running again.
     */
    public void reactivate(String jobId, String taskId, RequestOptions options) {
        calls.send("reactivate task " + taskId + " of job " + jobId,
                BatchRequest.of("POST", ResourcePaths.task(jobId, taskId) + "/reactivate"), options,
                stateRule(jobId, taskId, Set.of("active", "preparing", "running"), "TaskNotCompleted"),
                response -> null);
    }

    /**
     * Waits until every task of the job has completed, polling the job's task counts with backoff; reports
     * progress after each poll.
     */
    public TaskCountsSnapshot waitForTasks(String jobId, WaitOptions options) {
        return waiter.waitForTasks(jobId, options);
    }

    private EchoRule<BatchResponse> stateRule(String jobId, String taskId, Set<String> reached, String... echoCodes) {
        return EchoRule.of(refusal -> {
            Confirmations.reached("task " + taskId + " of job " + jobId, refusal,
                    () -> calls.wireName(get(jobId, taskId).state()), reached);
            return null;
        }, echoCodes);
    }
}
