package dev.rebatch.client;

import dev.rebatch.client.http.BatchRequest;
import dev.rebatch.client.http.BatchResponse;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.DisableJobOption;
import dev.rebatch.model.job.JobDisable;
import dev.rebatch.model.job.JobPatch;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.JobTerminate;
import dev.rebatch.model.job.TaskCountsResult;
import java.util.Set;
import java.util.stream.Stream;

/** Jobs: create, read, change, disable, enable, terminate and delete. Obtain one from {@link BatchClient#jobs()}. */
public final class JobOperations {

    private final BatchCalls calls;

    JobOperations(BatchCalls calls) {
        this.calls = calls;
    }

    public Created create(JobSpec job) {
        return create(job, RequestOptions.DEFAULTS);
    }

    /**
     * Creates a job. A retry after an unknown outcome that is told JobExists reads the job: when it is the one this
     * call sent, the create succeeded ({@link Created#confirmedByRead()}); otherwise a
     * {@link dev.rebatch.client.errors.ResourceConflictException} names the differences.
     */
    public Created create(JobSpec job, RequestOptions options) {
        BatchRequest request = BatchRequest.of("POST", "/jobs").withBody(calls.write(job));
        EchoRule<Created> echo = EchoRule.of(exists -> Confirmations.created(calls, "job", job.id(), job, exists,
                () -> get(job.id())), "JobExists");
        return calls.send("create job " + job.id(), request, options, echo, response -> Responses.created(job.id(), response));
    }

    public CloudJob get(String jobId) {
        return get(jobId, RequestOptions.DEFAULTS);
    }

    public CloudJob get(String jobId, RequestOptions options) {
        return calls.get("get job " + jobId, BatchRequest.of("GET", ResourcePaths.job(jobId)), options, CloudJob.class);
    }

    public Stream<CloudJob> list() {
        return list(ListOptions.ALL, RequestOptions.DEFAULTS);
    }

    public Stream<CloudJob> list(ListOptions list) {
        return list(list, RequestOptions.DEFAULTS);
    }

    /** The account's jobs, fetched page by page as the stream is consumed. */
    public Stream<CloudJob> list(ListOptions list, RequestOptions options) {
        return PagedList.stream(calls, "list jobs", BatchRequest.of("GET", "/jobs"), list, options, CloudJob.class);
    }

    /** Changes the properties {@code patch} sets and leaves the others as they are. */
    public void patch(String jobId, JobPatch patch, RequestOptions options) {
        calls.send("patch job " + jobId, BatchRequest.of("PATCH", ResourcePaths.job(jobId)).withBody(calls.write(patch)),
                options);
    }

    public void delete(String jobId) {
        delete(jobId, RequestOptions.DEFAULTS);
    }

    /**
     * Deletes a job and its tasks (the service finishes the delete in the background). A retry after an unknown
     * outcome that is told JobNotFound or JobBeingDeleted counts as success: the earlier attempt deleted it.
     */
    public void delete(String jobId, RequestOptions options) {
        calls.send("delete job " + jobId, BatchRequest.of("DELETE", ResourcePaths.job(jobId)), options,
                EchoRule.of(gone -> Confirmations.gone("delete job " + jobId, gone), "JobNotFound", "JobBeingDeleted"),
                response -> null);
    }

    public void disable(String jobId, DisableJobOption disableTasks) {
        disable(jobId, disableTasks, RequestOptions.DEFAULTS);
    }

    /** Disables a job; a retry told JobNotActive succeeds when the job is disabling or disabled. */
    public void disable(String jobId, DisableJobOption disableTasks, RequestOptions options) {
        BatchRequest request = BatchRequest.of("POST", ResourcePaths.job(jobId) + "/disable")
                .withBody(calls.write(new JobDisable(disableTasks)));
        calls.send("disable job " + jobId, request, options, stateRule(jobId, Set.of("disabling", "disabled"),
                "JobNotActive"), response -> null);
    }

    public void enable(String jobId) {
        enable(jobId, RequestOptions.DEFAULTS);
    }

    /** Enables a disabled job; a retry told the job is not disabled succeeds when it is enabling or active. */
    public void enable(String jobId, RequestOptions options) {
        calls.send("enable job " + jobId, BatchRequest.of("POST", ResourcePaths.job(jobId) + "/enable"), options,
                stateRule(jobId, Set.of("enabling", "active"), "OperationInvalidForCurrentState", "JobNotDisabled"),
                response -> null);
    }

    public void terminate(String jobId, String reason) {
        terminate(jobId, reason, RequestOptions.DEFAULTS);
    }

    /**
     * Terminates a job, ending its tasks; {@code reason} may be null (the service records "UserTerminate"). A retry
     * told JobCompleted or JobBeingTerminated succeeds when the job is terminating or completed.
     */
    public void terminate(String jobId, String reason, RequestOptions options) {
        BatchRequest request = BatchRequest.of("POST", ResourcePaths.job(jobId) + "/terminate")
                .withBody(calls.write(new JobTerminate(reason)));
        calls.send("terminate job " + jobId, request, options, stateRule(jobId, Set.of("terminating", "completed"),
                "JobCompleted", "JobBeingTerminated"), response -> null);
    }

    public TaskCountsResult taskCounts(String jobId) {
        return taskCounts(jobId, RequestOptions.DEFAULTS);
    }

    /** How many of the job's tasks are active, running, completed, succeeded and failed. */
    public TaskCountsResult taskCounts(String jobId, RequestOptions options) {
        return calls.get("get task counts of job " + jobId, BatchRequest.of("GET", ResourcePaths.job(jobId) + "/taskcounts"),
                options, TaskCountsResult.class);
    }

    private EchoRule<BatchResponse> stateRule(String jobId, Set<String> reached, String... echoCodes) {
        return EchoRule.of(refusal -> {
            Confirmations.reached("job " + jobId, refusal, () -> calls.wireName(get(jobId).state()), reached);
            return null;
        }, echoCodes);
    }
}
