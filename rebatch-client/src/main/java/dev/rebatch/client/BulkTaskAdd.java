package dev.rebatch.client;

import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.http.BatchRequest;
import dev.rebatch.client.http.BatchResponse;
import dev.rebatch.client.http.ErrorResponse;
import dev.rebatch.model.task.TaskAddCollectionResult;
import dev.rebatch.model.task.TaskAddResult;
import dev.rebatch.model.task.TaskAddStatus;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.retry.Attempt;
import dev.rebatch.retry.RetryFailedException;
import dev.rebatch.retry.classify.HttpFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds any number of tasks through add-collection requests.
 *
 * <p>Each request (a "chunk") is one operation of the client's retry handler, so it shares the policy, the deadline
 * and the retry budget with every other call. An attempt sends the chunk's tasks that are still pending: the service
 * answers each task separately, a serverError entry keeps its task pending, and the attempt then fails as a server
 * error, so the handler waits and retries just those tasks — a bounded number of times, never forever. A TaskExists
 * entry for a task that an earlier attempt may have added (a timeout, a reset, a 5xx, or an earlier serverError entry
 * for it) is resolved by reading the task. A chunk the service finds too large (413 RequestBodyTooLarge) is halved.
 */
final class BulkTaskAdd {

    private static final Logger LOG = LoggerFactory.getLogger(BulkTaskAdd.class);
    private static final byte[] PREFIX = "{\"value\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    private final BatchCalls calls;
    private final TaskOperations tasks;

    BulkTaskAdd(BatchCalls calls, TaskOperations tasks) {
        this.calls = calls;
        this.tasks = tasks;
    }

    BulkAddResult add(String jobId, List<TaskSpec> specs, BulkAddOptions options) {
        AtomicReferenceArray<TaskAddOutcome> outcomes = new AtomicReferenceArray<>(specs.size());
        List<PendingTask> all = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            all.add(new PendingTask(i, specs.get(i), calls.write(specs.get(i))));
        }
        List<List<PendingTask>> chunks = chunks(all, options, outcomes);
        if (!chunks.isEmpty()) {
            ExecutorService senders = Executors.newFixedThreadPool(Math.min(options.parallelism(), chunks.size()),
                    runnable -> {
                        Thread thread = new Thread(runnable, "rebatch-add-tasks-" + jobId);
                        thread.setDaemon(true);
                        return thread;
                    });
            try {
                CompletableFuture.allOf(chunks.stream()
                        .map(chunk -> CompletableFuture.runAsync(() -> addChunk(jobId, chunk, options, outcomes),
                                senders))
                        .toArray(CompletableFuture[]::new)).join();
            } finally {
                senders.shutdownNow();
            }
        }
        List<TaskAddOutcome> ordered = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            ordered.add(outcomes.get(i));
        }
        return new BulkAddResult(ordered);
    }

    /**
     * Consecutive tasks grouped into requests of at most {@code maxTasksPerRequest} tasks and
     * {@code maxRequestBytes} bytes. A task too large to send on its own fails here, without a request.
     */
    static List<List<PendingTask>> chunks(List<PendingTask> tasks, BulkAddOptions options,
            AtomicReferenceArray<TaskAddOutcome> outcomes) {
        List<List<PendingTask>> chunks = new ArrayList<>();
        List<PendingTask> current = new ArrayList<>();
        long currentBytes = PREFIX.length + SUFFIX.length;
        for (PendingTask task : tasks) {
            long alone = PREFIX.length + SUFFIX.length + task.json().length;
            if (alone > options.maxRequestBytes()) {
                outcomes.set(task.index(), TaskAddOutcome.failed(task.id(), "RequestBodyTooLarge", "The task's JSON is "
                        + task.json().length + " bytes; one request may carry at most " + options.maxRequestBytes()
                        + ". Shorten its command line or environment settings."));
                continue;
            }
            long added = task.json().length + (current.isEmpty() ? 0 : 1);
            if (current.size() == options.maxTasksPerRequest() || currentBytes + added > options.maxRequestBytes()) {
                chunks.add(current);
                current = new ArrayList<>();
                currentBytes = PREFIX.length + SUFFIX.length;
                added = task.json().length;
            }
            current.add(task);
            currentBytes += added;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private void addChunk(String jobId, List<PendingTask> chunk, BulkAddOptions options,
            AtomicReferenceArray<TaskAddOutcome> outcomes) {
        ChunkRun run = new ChunkRun(jobId, chunk, outcomes);
        try {
            calls.handler().execute(options.requestOptions().toCallOptions(), run::attempt);
        } catch (RetryFailedException failure) {
            if (failure.getCause() instanceof ErrorResponse tooLarge && "RequestBodyTooLarge".equals(tooLarge.errorCode())
                    && run.pending.size() > 1) {
                int half = run.pending.size() / 2;
                LOG.info("add tasks to job {}: {} tasks were too large for one request; sending them in two halves",
                        jobId, run.pending.size());
                addChunk(jobId, List.copyOf(run.pending.subList(0, half)), options, outcomes);
                addChunk(jobId, List.copyOf(run.pending.subList(half, run.pending.size())), options, outcomes);
                return;
            }
            run.failRemaining(failure, "add " + run.pending.size() + " tasks to job " + jobId);
        }
    }

    /** A task to add: where it was in the caller's list, and its JSON, serialized once. */
    record PendingTask(int index, TaskSpec spec, byte[] json) {
        String id() {
            return spec.id();
        }
    }

    /** One chunk's operation: the tasks still pending and what each attempt learned about them. */
    private final class ChunkRun {

        private final String jobId;
        private final AtomicReferenceArray<TaskAddOutcome> outcomes;
        private List<PendingTask> pending;
        /** Tasks an earlier attempt may have added: a later TaskExists for them is checked, not reported. */
        private final Map<String, Boolean> mayHaveBeenAdded = new HashMap<>();
        private final Map<String, TaskAddResult> lastServerError = new HashMap<>();

        ChunkRun(String jobId, List<PendingTask> chunk, AtomicReferenceArray<TaskAddOutcome> outcomes) {
            this.jobId = jobId;
            this.pending = new ArrayList<>(chunk);
            this.outcomes = outcomes;
        }

        Void attempt(Attempt attempt) throws Exception {
            BatchRequest request = BatchRequest.of("POST", ResourcePaths.job(jobId) + "/addtaskcollection")
                    .withBody(body(pending));
            BatchResponse response;
            try {
                response = calls.transport().send(request, attempt);
            } catch (Exception failure) {
                if (calls.handler().classifier().classify(failure, calls.handler().timeSource().now())
                        .category().mayHaveBeenApplied()) {
                    pending.forEach(task -> mayHaveBeenAdded.put(key(task.id()), true));
                }
                throw failure;
            }
            TaskAddCollectionResult result = calls.read(response,
                    calls.json().constructType(TaskAddCollectionResult.class));
            Map<String, TaskAddResult> answers = new HashMap<>();
            if (result.value() != null) {
                result.value().forEach(answer -> answers.put(key(answer.taskId()), answer));
            }
            List<PendingTask> stillPending = new ArrayList<>();
            for (PendingTask task : pending) {
                TaskAddResult answer = answers.get(key(task.id()));
                if (answer == null || answer.status() == TaskAddStatus.SERVER_ERROR
                        || answer.status() == TaskAddStatus.UNKNOWN) {
                    mayHaveBeenAdded.put(key(task.id()), true);
                    if (answer != null) {
                        lastServerError.put(key(task.id()), answer);
                    }
                    stillPending.add(task);
                } else if (answer.status() == TaskAddStatus.SUCCESS) {
                    outcomes.set(task.index(), TaskAddOutcome.added(task.id(), false));
                } else {
                    outcomes.set(task.index(), clientError(task, answer));
                }
            }
            pending = stillPending;
            if (!pending.isEmpty()) {
                TaskAddResult first = lastServerError.get(key(pending.get(0).id()));
                throw new ServerErrorEntries(pending.size(), first == null || first.error() == null ? null
                        : first.error().code());
            }
            return null;
        }

        private TaskAddOutcome clientError(PendingTask task, TaskAddResult answer) {
            String code = answer.error() == null ? null : answer.error().code();
            String message = answer.error() == null || answer.error().message() == null ? null
                    : answer.error().message().value();
            if ("TaskExists".equalsIgnoreCase(code) && mayHaveBeenAdded.getOrDefault(key(task.id()), false)) {
                return confirmExisting(task, code, message);
            }
            return TaskAddOutcome.failed(task.id(), code, message);
        }

        /** TaskExists after an attempt that may have added the task: is it the task this call sent? */
        private TaskAddOutcome confirmExisting(PendingTask task, String code, String message) {
            try {
                List<String> differences = SpecComparison.differences(calls.json().readTree(task.json()),
                        calls.json().valueToTree(tasks.get(jobId, task.id())));
                if (differences.isEmpty()) {
                    return TaskAddOutcome.added(task.id(), true);
                }
                return TaskAddOutcome.failed(task.id(), code, "Task " + task.id() + " exists and differs from "
                        + "what this call sent, so another client added it: " + String.join("; ", differences));
            } catch (BatchException | IOException readFailed) {
                return TaskAddOutcome.failed(task.id(), code, message + " (an earlier attempt may have added it, "
                        + "but reading the task failed: " + readFailed.getMessage() + ")");
            }
        }

        /** The handler gave up: each pending task fails with its own last server error, or the request's. */
        void failRemaining(RetryFailedException failure, String operation) {
            BatchException error = BatchException.from(failure, operation);
            for (PendingTask task : pending) {
                TaskAddResult serverError = lastServerError.get(key(task.id()));
                if (failure.getCause() instanceof ServerErrorEntries && serverError != null
                        && serverError.error() != null) {
                    outcomes.set(task.index(), TaskAddOutcome.failed(task.id(), serverError.error().code(),
                            (serverError.error().message() == null ? "" : serverError.error().message().value())
                                    + " (stopped: " + failure.stopReason() + " after " + failure.attempts().size()
                                    + " attempts)"));
                } else {
                    outcomes.set(task.index(), TaskAddOutcome.failed(task.id(),
                            error instanceof BatchServiceException answer ? answer.errorCode() : error.category().name(),
                            error.getMessage()));
                }
            }
        }
    }

    private static byte[] body(List<PendingTask> tasks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(PREFIX);
        for (int i = 0; i < tasks.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(tasks.get(i).json());
        }
        body.writeBytes(SUFFIX);
        return body.toByteArray();
    }

    private static String key(String taskId) {
        return taskId == null ? "" : taskId.toLowerCase(Locale.ROOT);
    }

    /**
     * An add-collection answer in which some tasks got serverError: the attempt fails as a server error, so that the
     * retry handler applies the policy, the deadline and the budget before the next attempt resends those tasks.
     */
    static final class ServerErrorEntries extends Exception implements HttpFailure {

        private static final long serialVersionUID = 1L;
        private final String errorCode;

        ServerErrorEntries(int count, String errorCode) {
            super(count + " tasks got a server error" + (errorCode == null ? "" : " (" + errorCode + ")"), null,
                    false, false);
            this.errorCode = errorCode;
        }

        @Override
        public int statusCode() {
            return 500;
        }

        @Override
        public String errorCode() {
            return errorCode;
        }

        @Override
        public String header(String name) {
            return null;
        }
    }
}
