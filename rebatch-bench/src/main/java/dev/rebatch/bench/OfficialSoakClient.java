package dev.rebatch.bench;

import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.CreateTasksErrorException;
import com.microsoft.azure.batch.auth.BatchSharedKeyCredentials;
import com.microsoft.azure.batch.protocol.models.BatchError;
import com.microsoft.azure.batch.protocol.models.BatchErrorException;
import com.microsoft.azure.batch.protocol.models.DisableJobOption;
import com.microsoft.azure.batch.protocol.models.PoolInformation;
import com.microsoft.azure.batch.protocol.models.TaskAddParameter;
import com.microsoft.azure.batch.protocol.models.TaskAddResult;
import com.microsoft.rest.RestClient;
import dev.rebatch.client.soak.BulkTaskFailure;
import dev.rebatch.client.soak.SoakClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault soak's operations through the official Java SDK, {@code com.microsoft.azure:azure-batch} 11.2.0, used
 * as an application would: {@code jobOperations()} and {@code taskOperations()}, with the SDK's own retry handler
 * (up to 3 immediate retries of 408 and 5xx but 501/505; no wait, no Retry-After, no 429) and OkHttp underneath.
 *
 * <p>Two changes to the client the SDK builds, both through its public API: a network interceptor that counts every
 * HTTP request that reaches the wire (so the SDK's retries and OkHttp's silent re-sends on a dead pooled connection
 * are counted, each once), and a read timeout (default 120 s) that the caller chooses. The client is built by
 * {@code BatchClient.open(credentials)} as usual; its {@link RestClient} is then rebuilt with
 * {@link RestClient#newBuilder()} (which keeps the Batch response builder, serializer, credentials and retry
 * strategy) plus the interceptor and timeout, and handed to {@link BatchClient#open(RestClient, String)}.
 *
 * <p>The SDK's quirks (section 7 of the shared reference's wire-notes.md): it reflects into {@code java.base},
 * so the JVM needs {@code --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
 * --add-opens java.base/java.net=ALL-UNNAMED}; {@code createTasks} of more than 100 tasks can hang, so bulk adds are
 * passed to it in chunks of 100; {@code terminateJob} without a reason fails in the client, so one is given.
 */
public final class OfficialSoakClient implements SoakClient {

    /** The largest list handed to one {@code createTasks} call. */
    static final int CREATE_TASKS_CHUNK = 100;
    /** Marks, in a {@link BulkTaskFailure}'s kind, a reason that came with no Batch error code. */
    private static final String UNTYPED = "untyped ";

    private static final int RUNNING = 0;
    private static final int RESCUED = 1;
    private static final int DONE = 2;
    /** Interrupts createTasks calls that hung (see {@link #addTasks}); one daemon thread for every client. */
    private static final ScheduledExecutorService RESCUER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "createTasks-rescuer");
        thread.setDaemon(true);
        return thread;
    });

    private final BatchClient client;
    private final Duration createTasksCap;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong createTasksHangs = new AtomicLong();

    /**
     * @param readTimeout    OkHttp's read timeout for every request (the SDK's default is 120 s)
     * @param createTasksCap how long one {@code createTasks} call of up to 100 tasks may take before it is taken
     *                       to have hung and is interrupted
     */
    public OfficialSoakClient(String endpoint, String account, String key, Duration readTimeout,
            Duration createTasksCap) {
        this.createTasksCap = createTasksCap;
        BatchClient asOpened = BatchClient.open(new BatchSharedKeyCredentials(endpoint, account, key));
        RestClient counted = asOpened.protocolLayer().restClient().newBuilder()
                .withNetworkInterceptor(chain -> {
                    requests.incrementAndGet();
                    return chain.proceed(chain.request());
                })
                .withReadTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.client = BatchClient.open(counted, endpoint);
    }

    @Override
    public void createJob(String jobId, String poolId) throws Exception {
        client.jobOperations().createJob(jobId, new PoolInformation().withPoolId(poolId));
    }

    @Override
    public void disableJob(String jobId) throws Exception {
        client.jobOperations().disableJob(jobId, DisableJobOption.REQUEUE);
    }

    @Override
    public void enableJob(String jobId) throws Exception {
        client.jobOperations().enableJob(jobId);
    }

    @Override
    public void terminateJob(String jobId) throws Exception {
        client.jobOperations().terminateJob(jobId, "soak");
    }

    @Override
    public void createTask(String jobId, String taskId, String commandLine) throws Exception {
        client.taskOperations().createTask(jobId, new TaskAddParameter().withId(taskId).withCommandLine(commandLine));
    }

    /**
     * One {@code createTasks} call per 100 tasks.
     *
     * <p>{@code createTasks} can hang for ever, also with 100 tasks or fewer: its calling thread starts a worker
     * thread and waits on a lock for it; the worker notifies as its last act, and the caller then looks only at
     * workers whose state is already TERMINATED. When the caller wakes first and the worker's request failed as a
     * whole (a 429, a timeout, 5xx four times, a dropped connection OkHttp does not re-send), the worker has put
     * its tasks back in the queue, so the caller sees work left, a worker still registered and no room for another,
     * and waits again, for a notification that never comes. (With more than 100 tasks the remaining tasks play the
     * part of the re-queued ones, hence the hang noted in wire-notes.) The wait is interruptible: a call still
     * running after {@code createTasksCap} is interrupted, and its tasks are reported not added, as hung.
     *
     * <p>A task a call reports in {@code failureTaskList} (a {@code clienterror} other than TaskExists, which the
     * SDK counts as added) fails with its code; when a call throws anything else,
     * every task of that call that it did not report fails with what it threw. The reason's first part, up to the
     * colon, is its kind: the status and code of a Batch error, or {@code untyped} and the exception's class.
     */
    @Override
    public Map<String, String> addTasks(String jobId, List<Map.Entry<String, String>> tasks) throws Exception {
        Map<String, String> notAdded = new HashMap<>();
        for (int from = 0; from < tasks.size(); from += CREATE_TASKS_CHUNK) {
            List<Map.Entry<String, String>> chunk = tasks.subList(from, Math.min(from + CREATE_TASKS_CHUNK,
                    tasks.size()));
            Thread caller = Thread.currentThread();
            AtomicInteger state = new AtomicInteger(RUNNING);
            ScheduledFuture<?> rescue = RESCUER.schedule(() -> {
                synchronized (state) {
                    if (state.compareAndSet(RUNNING, RESCUED)) {
                        caller.interrupt();
                    }
                }
            }, createTasksCap.toMillis(), TimeUnit.MILLISECONDS);
            try {
                client.taskOperations().createTasks(jobId, chunk.stream()
                        .map(task -> new TaskAddParameter().withId(task.getKey()).withCommandLine(task.getValue()))
                        .toList());
            } catch (InterruptedException e) {
                synchronized (state) {
                    if (state.get() != RESCUED) {
                        state.set(DONE);
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
                createTasksHangs.incrementAndGet();
                for (Map.Entry<String, String> task : chunk) {
                    notAdded.put(task.getKey(), UNTYPED + "createTasks hung: it had not returned after "
                            + createTasksCap.toSeconds() + " s and was interrupted");
                }
            } catch (CreateTasksErrorException partly) {
                for (TaskAddResult failed : partly.failureTaskList()) {
                    BatchError error = failed.error();
                    notAdded.put(failed.taskId(), error == null || error.code() == null
                            ? UNTYPED + failed.status() + ": no error"
                            : failed.status() + " " + error.code() + ": "
                            + (error.message() == null ? "" : error.message().value()));
                }
                for (TaskAddParameter pending : partly.pendingTaskList()) {
                    notAdded.put(pending.id(), UNTYPED + "pending: the SDK stopped before sending it");
                }
                // Neither failed nor pending: the SDK reported nothing for it, i.e. added (or TaskExists).
            } catch (Exception whole) {
                String why = kindOf(whole).replace(':', ';') + ": " + whole.getMessage();
                for (Map.Entry<String, String> task : chunk) {
                    notAdded.put(task.getKey(), isTyped(whole) ? why : UNTYPED + why);
                }
            } finally {
                rescue.cancel(false);
                synchronized (state) {
                    if (state.getAndSet(DONE) == RESCUED) {
                        Thread.interrupted(); // the rescue's interrupt, if the call returned before it landed
                    }
                }
            }
        }
        return notAdded;
    }

    /** How many createTasks calls hung and were interrupted. */
    public long createTasksHangs() {
        return createTasksHangs.get();
    }

    /** Every request OkHttp put on the wire, SDK retries and OkHttp re-sends included. */
    @Override
    public long requestsSent() {
        return requests.get();
    }

    /**
     * Typed (a {@link BatchErrorException} with the service's error body) and, because the SDK never says that a
     * change may have been made, only when it was not: a 409 JobExists to the SDK's own re-sent create, or a timeout
     * on a create the service went on to make, is unexplained.
     */
    @Override
    public boolean explains(Exception failure, boolean applied) {
        if (applied) {
            return false;
        }
        if (failure instanceof BulkTaskFailure bulk) {
            return !bulk.getMessage().startsWith(UNTYPED);
        }
        return isTyped(failure);
    }

    /** "409 JobExists" for a Batch error, else the exception class and its causes' ("RuntimeException < ..."). */
    @Override
    public String kindOf(Exception failure) {
        if (failure instanceof BulkTaskFailure bulk) {
            return "BulkTaskFailure " + bulk.getMessage().split(":", 2)[0];
        }
        if (isTyped(failure)) {
            BatchErrorException batch = (BatchErrorException) failure;
            return batch.response().code() + " " + batch.body().code();
        }
        StringBuilder kind = new StringBuilder(failure.getClass().getSimpleName());
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            kind.append(" < ").append(cause.getClass().getSimpleName());
        }
        return kind.toString();
    }

    private static boolean isTyped(Exception failure) {
        return failure instanceof BatchErrorException batch && !(failure instanceof CreateTasksErrorException)
                && batch.response() != null && batch.body() != null && batch.body().code() != null;
    }
}
