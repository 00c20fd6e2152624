package dev.rebatch.cli.run;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.BulkAddOptions;
import dev.rebatch.client.BulkAddResult;
import dev.rebatch.client.ListOptions;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.TaskAddOutcome;
import dev.rebatch.client.TaskCountsSnapshot;
import dev.rebatch.client.WaitOptions;
import dev.rebatch.client.WaitTimeoutException;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.JobPatch;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.JobState;
import dev.rebatch.model.job.OnAllTasksComplete;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.PoolResize;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskSpec;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * One {@code rebatch run} against a service: the pool (created from the file, or the one the job names), the job,
 * its tasks (in bulk, wave by wave), then the wait with progress and the summary. It talks only through the SDK, so
 * the service may be the embedded one or any other.
 */
public final class JobRun {

    /** No --timeout: wait as long as the tasks take (ten years stands in for "for ever"). */
    public static final Duration NO_TIMEOUT = Duration.ofDays(3650);
    /** The longest pause between two polls of the task counts (the progress display's refresh). */
    static final Duration MAX_POLL = Duration.ofSeconds(1);
    /** Tasks waiting this long with nothing running make the run look at the pool's nodes. */
    static final Duration IDLE_BEFORE_NODE_CHECK = Duration.ofSeconds(10);
    static final Duration NODE_CHECK_INTERVAL = Duration.ofSeconds(30);

    private static final DateTimeFormatter JOB_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    /**
     * How to run.
     *
     * @param jobId              the job's id (the file's, --job-id, or a made-up one)
     * @param nodes              the target of a pool the run creates
     * @param nodesGiven         whether --nodes was given: then it also overrides the file pool's own target
     * @param timeout            how long to wait for the tasks ({@link #NO_TIMEOUT} for as long as they take)
     * @param createMissingPool  whether a pool that does not exist is created (the embedded service: it is ours);
     *                           otherwise only the file's pool is, and a pool the job names must exist
     */
    public record Options(String jobId, int nodes, boolean nodesGiven, Duration timeout, boolean createMissingPool) {

        public Options {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** A run that cannot go on: the line to print, what to do about it (or null), and the exit code. */
    public static final class RunFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String hint;
        private final int exitCode;

        public RunFailure(String line, String hint, int exitCode) {
            super(line);
            this.hint = hint;
            this.exitCode = exitCode;
        }

        public String hint() {
            return hint;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final BatchClient client;
    private final JobFile file;
    private final Options options;
    private final PrintWriter status;
    private final BiFunction<String, Long, RunProgress> progress;
    private final LongSupplier nanoTime;
    private long idleSince = -1;
    private long nodesCheckedAt = Long.MIN_VALUE;
    private String notice;

    /**
     * @param status   where the steps are told (stderr)
     * @param progress makes the display for a job id and its number of tasks
     * @param nanoTime the clock of the progress display and the idle check
     */
    public JobRun(BatchClient client, JobFile file, Options options, PrintWriter status,
            BiFunction<String, Long, RunProgress> progress, LongSupplier nanoTime) {
        this.client = Objects.requireNonNull(client, "client");
        this.file = Objects.requireNonNull(file, "file");
        this.options = Objects.requireNonNull(options, "options");
        this.status = Objects.requireNonNull(status, "status");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A job id for a file without one: {@code run-} and the UTC time to the millisecond. */
    public static String generatedJobId(Clock clock) {
        return "run-" + JOB_ID_TIME.format(clock.instant());
    }

    /**
     * Creates the pool (if needed), the job and the tasks, waits for the tasks and sums them up.
     *
     * @throws RunFailure       when the pool is missing, the job exists, or tasks were refused
     * @throws BatchException   when the service refuses anything else or cannot be reached
     */
    public RunSummary run() {
        String poolId = ensurePool();
        createJob(poolId);
        long started = nanoTime.getAsLong();
        addTasks();
        if (file.job().onAllTasksComplete() == null) {
            // Only now: set at create, the job could complete between two waves of tasks, once those added first
            // are done.
            client.jobs().patch(options.jobId(),
                    JobPatch.empty().withOnAllTasksComplete(OnAllTasksComplete.TERMINATE_JOB), RequestOptions.DEFAULTS);
        }
        boolean timedOut = waitForTasks(poolId, started);
        Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - started);
        List<CloudTask> tasks;
        try (Stream<CloudTask> listed = client.tasks().list(options.jobId(),
                ListOptions.ALL.withSelect("id,state,executionInfo").withMaxResults(1000))) {
            tasks = listed.toList();
        }
        String terminateReason = null;
        CloudJob job = client.jobs().get(options.jobId());
        if (job.state() == JobState.COMPLETED && job.executionInfo() != null) {
            terminateReason = job.executionInfo().terminateReason();
        }
        return RunSummary.of(options.jobId(), poolId, tasks, elapsed, timedOut, terminateReason);
    }

    /**
     * The pool the job runs on: the file's (created unless it exists), or the one the job names (which must exist,
     * unless the service is the run's own). On the run's own service an existing pool (a store kept with --data) is
     * resized to the run's target: its node agents start with this command, and a resize is what tells the
     * provisioner about a pool it has not seen.
     */
    private String ensurePool() {
        PoolSpec pool = file.pool();
        String poolId = file.poolId();
        if (pool == null) {
            if (!options.createMissingPool()) {
                if (client.pools().exists(poolId, RequestOptions.DEFAULTS)) {
                    status.println("Using the pool " + poolId + ".");
                    return poolId;
                }
                throw new RunFailure("Error: the pool " + poolId + " does not exist",
                        "add a \"pool\" to the job file to have it created, or create it: ./rebatch pool create "
                                + poolId + " --vm-size " + JobFile.DEFAULT_VM_SIZE + " --nodes " + options.nodes(),
                        RunSummary.SOME_FAILED);
            }
            pool = PoolSpec.of(poolId, JobFile.DEFAULT_VM_SIZE, options.nodes());
        } else if (options.nodesGiven() || pool.targetDedicatedNodes() == null && !Boolean.TRUE.equals(
                pool.enableAutoScale())) {
            pool = pool.withTargetDedicatedNodes(options.nodes());
        }
        int nodes = pool.targetDedicatedNodes() == null ? 0 : pool.targetDedicatedNodes();
        try {
            client.pools().create(pool);
            status.println("Created the pool " + poolId + " (" + nodes(nodes) + ").");
        } catch (BatchServiceException refused) {
            if (!"PoolExists".equals(refused.errorCode())) {
                throw refused;
            }
            if (!options.createMissingPool() || Boolean.TRUE.equals(pool.enableAutoScale())) {
                status.println("Using the existing pool " + poolId + " (as it is: the file's pool settings are not "
                        + "applied to it).");
                return poolId;
            }
            int lowPriority = pool.targetLowPriorityNodes() == null ? 0 : pool.targetLowPriorityNodes();
            try {
                client.pools().resize(poolId, PoolResize.of(nodes, lowPriority));
                status.println("Using the existing pool " + poolId + " (" + nodes(nodes) + ").");
            } catch (BatchServiceException notNow) {
                status.println("Using the existing pool " + poolId + " as it is (resizing it to " + nodes(nodes)
                        + " was refused: " + notNow.errorCode() + ").");
            }
        }
        return poolId;
    }

    private static String nodes(int count) {
        return count + (count == 1 ? " node" : " nodes");
    }

    private void createJob(String poolId) {
        JobSpec job = file.job();
        JobSpec spec = new JobSpec(options.jobId(), job.displayName(), job.priority(), job.maxParallelTasks(),
                job.allowTaskPreemption(), job.constraints(), job.poolInfo(), job.onAllTasksComplete(),
                job.onTaskFailure(), job.usesTaskDependencies(), job.commonEnvironmentSettings(), job.metadata());
        try {
            client.jobs().create(spec);
        } catch (BatchServiceException refused) {
            if ("JobExists".equals(refused.errorCode())) {
                throw new RunFailure("Error: the job " + options.jobId() + " exists already",
                        "run it under another id: --job-id ID (or leave \"id\" out of the job file to have one "
                                + "made up)", RunSummary.SOME_FAILED);
            }
            throw refused;
        }
        status.println("Created the job " + options.jobId() + " on the pool " + poolId + ".");
    }

    private void addTasks() {
        long started = nanoTime.getAsLong();
        int total = file.tasks().size();
        status.println("Adding " + total + (total == 1 ? " task" : " tasks")
                + (file.waves().size() > 1 ? " in " + file.waves().size() + " waves (parents before the tasks "
                        + "that depend on a range of them)" : "") + "...");
        status.flush();
        List<TaskAddOutcome> refused = new ArrayList<>();
        for (List<TaskSpec> wave : file.waves()) {
            BulkAddResult result = client.tasks().addTasks(options.jobId(), wave, BulkAddOptions.DEFAULTS);
            refused.addAll(result.failures());
            if (!refused.isEmpty()) {
                break; // a later wave may depend on a task that is missing
            }
        }
        if (!refused.isEmpty()) {
            TaskAddOutcome first = refused.get(0);
            throw new RunFailure("Error: " + refused.size() + " of " + total + " tasks were not added; the first, "
                    + first.taskId() + ": " + first.errorCode() + (first.message() == null ? ""
                            : " " + first.message().lines().findFirst().orElse("")),
                    "the job " + options.jobId() + " has the tasks that were added; end it with: ./rebatch job "
                            + "terminate " + options.jobId(), RunSummary.SOME_FAILED);
        }
        status.println("Added " + total + (total == 1 ? " task" : " tasks") + " in "
                + Durations.human(Duration.ofNanos(nanoTime.getAsLong() - started)) + ".");
        status.flush();
    }

    /** Waits for every task to complete; true when the timeout came first. */
    private boolean waitForTasks(String poolId, long started) {
        RetryTally tally = new RetryTally(list -> client.tasks().list(options.jobId(), list), nanoTime);
        RunProgress display = progress.apply(options.jobId(), (long) file.tasks().size());
        WaitOptions wait = WaitOptions.DEFAULTS.withDeadline(options.timeout())
                .withPolling(Duration.ofMillis(100), MAX_POLL)
                .withProgress(counts -> {
                    tally.update(counts);
                    display.update(counts, tally.retries(), tally.requeues(), notice(poolId, counts));
                });
        try {
            client.tasks().waitForTasks(options.jobId(), wait);
            return false;
        } catch (WaitTimeoutException late) {
            return true;
        } finally {
            display.close();
        }
    }

    /**
     * "no compute nodes in pool p yet" while tasks wait, nothing runs and the pool has no node: told after
     * {@link #IDLE_BEFORE_NODE_CHECK} of that, and looked at again every {@link #NODE_CHECK_INTERVAL}.
     */
    private String notice(String poolId, TaskCountsSnapshot counts) {
        long now = nanoTime.getAsLong();
        if (counts.running() > 0 || counts.active() == 0) {
            idleSince = -1;
            notice = null;
            return null;
        }
        if (idleSince < 0) {
            idleSince = now;
        }
        if (now - idleSince >= IDLE_BEFORE_NODE_CHECK.toNanos()
                && (nodesCheckedAt == Long.MIN_VALUE || now - nodesCheckedAt >= NODE_CHECK_INTERVAL.toNanos())) {
            nodesCheckedAt = now;
            try {
                CloudPool pool = client.pools().get(poolId);
                int nodes = zeroIfNull(pool.currentDedicatedNodes()) + zeroIfNull(pool.currentLowPriorityNodes());
                notice = nodes == 0 ? "no compute nodes in pool " + poolId + " yet" : null;
            } catch (BatchException unknown) {
                // the notice is a hint; the counts go on
            }
        }
        return notice;
    }

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }
}
