package dev.rebatch.client.soak;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.BulkAddResult;
import dev.rebatch.client.TaskAddOutcome;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.model.job.DisableJobOption;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.retry.RetryHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The soak's operations through the Rebatch SDK, counting every attempt (= HTTP request) its handler makes. */
public final class RebatchSoakClient implements SoakClient {

    private final BatchClient client;
    private final AtomicLong requests;

    /**
     * @param handlerBuilder the handler configuration (policy, time source); this adds the request-counting listener
     */
    public RebatchSoakClient(String endpoint, String account, String key, RetryHandler.Builder handlerBuilder) {
        this.requests = new AtomicLong();
        this.client = BatchClient.builder()
                .endpoint(endpoint)
                .sharedKey(account, key)
                .retryHandler(handlerBuilder.listener(event -> requests.incrementAndGet()).build())
                .build();
    }

    @Override
    public void createJob(String jobId, String poolId) {
        client.jobs().create(JobSpec.of(jobId, poolId));
    }

    @Override
    public void disableJob(String jobId) {
        client.jobs().disable(jobId, DisableJobOption.REQUEUE);
    }

    @Override
    public void enableJob(String jobId) {
        client.jobs().enable(jobId);
    }

    @Override
    public void terminateJob(String jobId) {
        client.jobs().terminate(jobId, null);
    }

    @Override
    public void createTask(String jobId, String taskId, String commandLine) {
        client.tasks().create(jobId, TaskSpec.of(taskId, commandLine));
    }

    @Override
    public Map<String, String> addTasks(String jobId, List<Map.Entry<String, String>> tasks) {
        BulkAddResult result = client.tasks().addTasks(jobId,
                tasks.stream().map(task -> TaskSpec.of(task.getKey(), task.getValue())).toList());
        Map<String, String> notAdded = new HashMap<>();
        for (TaskAddOutcome outcome : result.failures()) {
            notAdded.put(outcome.taskId(), outcome.errorCode() + ": " + outcome.message());
        }
        return notAdded;
    }

    /** Every attempt is one request; the listener hears each attempt's outcome once. */
    @Override
    public long requestsSent() {
        return requests.get();
    }

    @Override
    public boolean explains(Exception failure, boolean applied) {
        if (failure instanceof BatchException typed) {
            boolean saysMaybeApplied = typed.category().mayHaveBeenApplied();
            return typed.category() != null && !typed.attempts().isEmpty() && (!applied || saysMaybeApplied);
        }
        return failure instanceof BulkTaskFailure && !applied;
    }

    @Override
    public String kindOf(Exception failure) {
        if (failure instanceof BatchServiceException answer) {
            return answer.statusCode() + " " + answer.errorCode();
        }
        if (failure instanceof BatchException typed) {
            return typed.category().name();
        }
        return failure.getClass().getSimpleName() + (failure instanceof BulkTaskFailure ? " " + failure.getMessage()
                .split(":", 2)[0] : "");
    }
}
