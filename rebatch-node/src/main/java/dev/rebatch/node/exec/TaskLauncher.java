package dev.rebatch.node.exec;

import dev.rebatch.node.NodeContext;
import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.retention.RetentionSweeper;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts task attempts as OS processes on this node, the way a Batch Linux node runs them:
 *
 * <ol>
 *   <li>the task directory and its {@code wd/} are created ({@link NodeLayout}); a retry reuses them: {@code wd/}
 *       keeps what the last attempt left (as Batch does when the retry lands on the same node), while
 *       {@code stdout.txt} and {@code stderr.txt} are emptied, so they always hold the current attempt's output;</li>
 *   <li>the command line is split into words ({@link CommandLine}), without a shell;</li>
 *   <li>the program is looked up in the task's PATH ({@code ProgramLookup}); one named by a path is only checked
 *       when the spawn refuses it, if the spawner reports that itself (posix_spawn does), to say why;</li>
 *   <li>the process starts in {@code wd/} with the task's environment ({@link TaskEnvironment}), stdin from
 *       {@code /dev/null}, and stdout and stderr going straight to the files, so they grow while it runs; it leads
 *       its own session and process group ({@link ProcessSpawner}), so that ending it reaches every process it
 *       started ({@code ProcessTree}) and a signal meant for the agent (Ctrl-C in its terminal) does not reach it;</li>
 *   <li>a timer on the shared scheduler ends it at maxWallClockTime.</li>
 * </ol>
 *
 * A failure at any step is an outcome, not an exception: the returned task is already done with the failureInfo
 * Batch would report. At most one attempt of a task runs at a time. Thread-safe.
 */
public final class TaskLauncher {

    private static final Logger log = LoggerFactory.getLogger(TaskLauncher.class);

    /** SIGTERM's head start before SIGKILL; long enough to flush and exit, short enough for a terminate to feel done. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

    private final NodeContext node;
    private final NodeLayout layout;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration killGrace;
    private final Map<String, String> inheritedEnvironment;
    private final RetentionSweeper retention;
    private final ProcessSpawner spawner;
    /**
     * Tasks from the moment their launch begins until their outcome is known; {@link #running} has those of them
     * with a handle. Both change together under {@link #registry}, so a process that exits before its launch returns
     * is never left listed as running.
     */
    private final Set<TaskKey> launched = new HashSet<>();
    private final Map<TaskKey, RunningTask> running = new ConcurrentHashMap<>();
    private final Object registry = new Object();

    private TaskLauncher(Builder builder) {
        this.node = builder.node;
        this.layout = builder.node.layout();
        this.scheduler = builder.scheduler;
        this.clock = builder.clock;
        this.killGrace = builder.killGrace;
        this.inheritedEnvironment = Map.copyOf(builder.inheritedEnvironment);
        this.retention = builder.retention;
        this.spawner = builder.spawner;
    }

    /**
     * @param scheduler shared by every task for its wall-clock timer and the polling of trees being killed; give it
     *                  {@code setRemoveOnCancelPolicy(true)} so the timers of tasks that finish early do not pile up
     */
    public static Builder builder(NodeContext node, ScheduledExecutorService scheduler) {
        return new Builder(node, scheduler);
    }

    /**
     * Starts one attempt of a task and returns at once.
     *
     * @throws IllegalStateException when an attempt of the same task is still running on this node
     */
    public RunningTask launch(TaskSpec spec) {
        TaskKey task = spec.task();
        synchronized (registry) {
            if (!launched.add(task)) {
                throw new IllegalStateException("Task " + task + " is already running on this node");
            }
        }
        RunningTask attempt;
        try {
            if (retention != null) {
                retention.taskStarted(task);
            }
            attempt = start(spec, clock.instant());
        } catch (RuntimeException | Error e) {
            synchronized (registry) {
                launched.remove(task);
            }
            throw e;
        }
        synchronized (registry) {
            if (!attempt.isFinishing()) {
                running.put(task, attempt);
            }
        }
        return attempt;
    }

    /** The running attempt of a task, if any. */
    public Optional<RunningTask> running(TaskKey task) {
        return Optional.ofNullable(running.get(task));
    }

    /** Every attempt running now. */
    public Collection<RunningTask> runningTasks() {
        return List.copyOf(running.values());
    }

    /** Cancels every running attempt of a job (terminate or delete of the job); returns the attempts it ended. */
    public List<RunningTask> cancelJob(String jobId, CancelReason reason) {
        List<RunningTask> ended = new ArrayList<>();
        for (RunningTask attempt : running.values()) {
            if (attempt.task().jobId().equals(jobId) && attempt.cancel(reason)) {
                ended.add(attempt);
            }
        }
        return ended;
    }

    private RunningTask start(TaskSpec spec, Instant startTime) {
        TaskKey task = spec.task();
        try {
            prepareDirectories(task);
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot prepare the directories of task {}", task, e);
            return failed(spec, startTime, FailureInfo.directoryCreateFailed(String.valueOf(e.getMessage())));
        }
        List<String> words;
        try {
            words = CommandLine.tokenize(spec.commandLine());
        } catch (CommandLineException e) {
            return failed(spec, startTime, FailureInfo.launchFailed(e.getMessage()));
        }
        Map<String, String> environment = TaskEnvironment.of(node, spec, inheritedEnvironment);
        Path workingDir = layout.workingDir(task);
        String programWord = words.get(0);
        ProgramLookup.Result program = programWord.contains("/") && spawner.refusesMissingPrograms()
                ? ProgramLookup.unchecked(programWord, workingDir)
                : ProgramLookup.find(programWord, workingDir, environment.get("PATH"));
        if (program instanceof ProgramLookup.Missing missing) {
            return failed(spec, startTime, FailureInfo.programNotFound(missing.why()));
        }
        List<String> command = new ArrayList<>(words);
        command.set(0, ((ProgramLookup.Found) program).program().toString());

        SpawnedProcess process;
        try {
            process = spawner.spawn(new SpawnRequest(command, workingDir, environment, layout.stdout(task),
                    layout.stderr(task)));
        } catch (SpawnFailedException e) {
            return failed(spec, startTime, explained(e.failure(), programWord, workingDir, environment.get("PATH")));
        }
        log.debug("Task {} started as process {}: {}", task, process.pid(), command);
        try {
            return RunningTask.watch(task, startTime, process, spec.maxWallClockTime(), scheduler, killGrace, clock,
                    outcome -> finished(outcome, spec.retentionTime()));
        } catch (RejectedExecutionException e) {
            // Nobody could ever end or time it: do not leave it running unwatched.
            process.killNow();
            throw new IllegalStateException("The scheduler is shut down; task " + task + " was not started", e);
        }
    }

    /**
     * A spawn's refusal to run the program, with the lookup's account of why when it has one (the file is missing,
     * a directory, not executable); otherwise as the spawn reported it (a script whose interpreter is missing, say).
     */
    private static FailureInfo explained(FailureInfo refusal, String programWord, Path workingDir, String path) {
        if (!refusal.code().equals(FailureInfo.COMMAND_PROGRAM_NOT_FOUND)) {
            return refusal;
        }
        return ProgramLookup.find(programWord, workingDir, path) instanceof ProgramLookup.Missing missing
                ? FailureInfo.programNotFound(missing.why()) : refusal;
    }

    /**
     * Creates the task's directory and working directory. Two mkdirs in the common case (the job's directory exists):
     * this is on the path of every task, and {@code Files.createDirectories} of the whole path cost several calls
     * (and exceptions) more. stdout.txt and stderr.txt are created, emptied, by the spawn itself.
     */
    private void prepareDirectories(TaskKey task) throws IOException {
        Path taskDir = layout.taskDir(task);
        try {
            createDirectory(taskDir);
        } catch (NoSuchFileException firstOfItsJob) {
            layout.createNodeDirectories();
            Files.createDirectories(taskDir);
        }
        createDirectory(layout.workingDir(task));
    }

    /** Creates {@code dir}; one that is there already (a retry, a requeue) is fine. */
    private static void createDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException exists) {
            if (!Files.isDirectory(dir)) {
                throw exists;
            }
        }
    }

    private RunningTask failed(TaskSpec spec, Instant startTime, FailureInfo failure) {
        log.debug("Task {} could not start: {} {}", spec.task(), failure.code(), failure.details());
        emptyOutputs(spec.task());
        TaskOutcome outcome = new TaskOutcome(spec.task(), startTime, clock.instant(), null, failure);
        return RunningTask.failed(outcome, done -> finished(done, spec.retentionTime()));
    }

    /** An attempt that never started shows no output, not an earlier attempt's. */
    private void emptyOutputs(TaskKey task) {
        for (Path output : new Path[] {layout.stdout(task), layout.stderr(task)}) {
            try {
                if (Files.isDirectory(output.getParent())) {
                    Files.newOutputStream(output, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE).close();
                }
            } catch (IOException e) {
                log.debug("Cannot empty {}", output, e);
            }
        }
    }

    private void finished(TaskOutcome outcome, Duration retentionTime) {
        synchronized (registry) {
            running.remove(outcome.task());
            launched.remove(outcome.task());
        }
        if (retention != null) {
            retention.taskCompleted(outcome.task(), outcome.endTime(), retentionTime);
        }
        log.debug("Task {} ended: exit code {}, {}", outcome.task(), outcome.exitCode(), outcome.result());
    }

    public static final class Builder {

        private final NodeContext node;
        private final ScheduledExecutorService scheduler;
        private Clock clock = Clock.systemUTC();
        private Duration killGrace = DEFAULT_KILL_GRACE;
        private Map<String, String> inheritedEnvironment = TaskEnvironment.inheritedFrom(System.getenv());
        private RetentionSweeper retention;
        private ProcessSpawner spawner = ProcessSpawner.forThisMachine();

        private Builder(NodeContext node, ScheduledExecutorService scheduler) {
            this.node = Objects.requireNonNull(node, "node");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** The clock of start and end times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder killGrace(Duration killGrace) {
            this.killGrace = Objects.requireNonNull(killGrace);
            return this;
        }

        /**
         * What tasks inherit from the agent, instead of {@code TaskEnvironment.inheritedFrom(System.getenv())}. Used
         * as given: pass it through {@link TaskEnvironment#inheritedFrom} unless it holds only what tasks may see.
         */
        public Builder inheritedEnvironment(Map<String, String> inheritedEnvironment) {
            this.inheritedEnvironment = Objects.requireNonNull(inheritedEnvironment);
            return this;
        }

        /** Told when attempts start and end, so that task directories are kept for their retention time. */
        public Builder retention(RetentionSweeper retention) {
            this.retention = Objects.requireNonNull(retention);
            return this;
        }

        /** How processes start, instead of {@link ProcessSpawner#forThisMachine()}. */
        public Builder spawner(ProcessSpawner spawner) {
            this.spawner = Objects.requireNonNull(spawner);
            return this;
        }

        public TaskLauncher build() {
            return new TaskLauncher(this);
        }
    }
}
