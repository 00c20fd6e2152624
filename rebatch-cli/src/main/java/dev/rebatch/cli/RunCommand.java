package dev.rebatch.cli;

import dev.rebatch.cli.run.Durations;
import dev.rebatch.cli.nodes.LocalNodeProvisioner;
import dev.rebatch.cli.run.EmbeddedService;
import dev.rebatch.cli.run.JobFile;
import dev.rebatch.cli.run.JobFileException;
import dev.rebatch.cli.run.JobRun;
import dev.rebatch.cli.run.RunProgress;
import dev.rebatch.cli.run.RunSummary;
import dev.rebatch.client.BatchClient;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.nodes.NodeProvisioner;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rebatch run JOBFILE}: the whole job in one command. Reads the job file (Batch JSON shapes and a compact
 * task template, {@link JobFile}), starts the service inside this command unless an endpoint is given, creates the
 * pool, the job and the tasks, shows the progress, and ends with a summary and an exit code.
 */
@Command(name = "run", sortOptions = false,
        description = {"Run a job from a job file: create its pool, job and tasks, wait for them with a progress bar, "
                + "and sum up how they ended.",
                "Without --endpoint or $REBATCH_ENDPOINT the service runs inside this command, with a local pool of "
                        + "--nodes nodes; with one, the job goes to that service."},
        footerHeading = "%n",
        footer = {"The job file is JSON: {\"pool\": {...}, \"job\": {...}, \"tasks\": [...],",
                "\"taskTemplate\": {...}}, each part in its Batch JSON shape; pool and job are",
                "optional. A template makes many tasks:",
                "  {\"idPattern\": \"frame-{i}\", \"commandLine\": \"render {i}\",",
                "   \"range\": {\"start\": 1, \"end\": 100}}",
                "{i} (or {i:05}, zero-padded) is replaced in the id, command line, display",
                "name and environment values. More in examples/.",
                "",
                "Exit codes: 0 every task succeeded, 1 a task failed (or the service",
                "refused), 2 usage error or a bad job file, 3 cannot reach the service,",
                "4 --timeout passed first."})
final class RunCommand implements Callable<Integer> {

    /**
     * What starts node agents for the pools of the service {@code rebatch run} runs inside itself: the same local
     * agents as {@code rebatch server}, in this process, talking to the service over loopback HTTP, their task
     * directories under the data directory's {@code nodes/}.
     */
    static final Function<EmbeddedService.Site, NodeProvisioner> LOCAL_NODES = site -> LocalNodeProvisioner.start(
            site.endpoint(), site.accountName(), site.accountKey(), site.dataDir().resolve("nodes"));

    /**
     * The service and the node agents inside this command log at INFO for operators; here their lines would break
     * up the progress and the summary, so only warnings are shown (with --debug, everything). Runs before any of
     * their classes, and so their loggers, exist; an explicit -Dorg.slf4j.simpleLogger.defaultLogLevel wins.
     */
    private void quietServiceLog() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "warn");
        }
    }

    /** How often the plain progress (not a terminal) prints a line. */
    static final Duration PLAIN_PROGRESS_EVERY = Duration.ofSeconds(5);

    enum Format {
        TEXT, JSON
    }

    enum Progress {
        AUTO, BAR, PLAIN, NONE
    }

    @Parameters(index = "0", paramLabel = "JOBFILE", description = "The job file (JSON), or - for standard input.")
    String jobFile;

    @Option(names = "--nodes", paramLabel = "N",
            description = "The size of a pool the run creates (default: the number of CPUs); given, it also "
                    + "overrides the target of the file's pool.")
    Integer nodes;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Stop waiting after this long (90s, 10m, 1h30m...): exit 4, the summary of what "
                    + "completed, and the job left as it is (default: wait until every task completes).")
    String timeout;

    @Option(names = "--job-id", paramLabel = "ID",
            description = "The job's id (default: the file's job id, else run-<UTC time>).")
    String jobId;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The inside service's store, kept after the run (default: a temporary directory, removed "
                    + "at the end). Unused with --endpoint.")
    Path data;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, else a line every few seconds), bar, plain or none; on "
                    + "stderr.")
    Progress progress;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (the default) or json: the summary as JSON on stdout.")
    Format format;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Send the job to this service (default: $" + ConnectionOptions.ENDPOINT_VARIABLE
                    + "; neither: run the service inside this command).")
    String endpoint;

    @Option(names = "--account-name", paramLabel = "NAME",
            description = "The account name (default: $" + ConnectionOptions.NAME_VARIABLE
                    + ", else the development account).")
    String accountName;

    @Option(names = "--account-key", paramLabel = "BASE64",
            description = "The account key (default: $" + ConnectionOptions.KEY_VARIABLE + ").")
    String accountKey;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
            description = "Retries of each call after network errors, 5xx and throttling (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--debug", description = "Print stack traces and the SDK's retry log.")
    boolean debug;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    RunCommand() {
        this(Clock.systemUTC());
    }

    RunCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        quietServiceLog();
        CommandLine commandLine = spec.commandLine();
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        Rebatch root = (Rebatch) spec.root().userObject();
        Map<String, String> environment = root.environment();
        if (nodes != null && (nodes < 1 || nodes > 1000)) {
            throw new CommandLine.ParameterException(commandLine, "--nodes must be from 1 to 1000, was " + nodes);
        }
        Duration deadline = JobRun.NO_TIMEOUT;
        if (timeout != null) {
            try {
                deadline = Durations.parse(timeout);
            } catch (IllegalArgumentException bad) {
                throw new CommandLine.ParameterException(commandLine, "--timeout: " + bad.getMessage());
            }
        }
        if (jobId != null && !BatchIds.isValid(jobId)) {
            throw new CommandLine.ParameterException(commandLine, "--job-id " + jobId + " is not a valid id: ids "
                    + "have 1 to 64 letters, digits, hyphens and underscores.");
        }
        JobFile file;
        try {
            file = JobFile.read(jobFile, root.stdin());
        } catch (JobFileException bad) {
            err.println("rebatch run: " + bad.getMessage());
            err.flush();
            return Rebatch.USAGE;
        }
        file.notes().forEach(note -> err.println("rebatch run: " + note));
        String id = jobId != null ? jobId : file.job().id() != null ? file.job().id() : JobRun.generatedJobId(clock);
        int poolSize = nodes != null ? nodes : Runtime.getRuntime().availableProcessors();
        ConnectionOptions connection = connectionOptions();
        String url = connection.endpoint(environment);
        Inside inside = null;
        boolean development = false;
        try {
            BatchClient client;
            if (url == null) {
                ConnectionOptions.Credentials credentials = connection.credentials(commandLine, environment);
                development = credentials.development();
                inside = Inside.start(data, credentials, err);
                if (inside == null) {
                    return Rebatch.SERVICE_REFUSED;
                }
                url = inside.service.endpoint();
                client = connection.client(commandLine, url, credentials);
            } else {
                ConnectionOptions.Connection connected = connection.connect(commandLine, environment, err);
                development = connected.developmentAccount();
                client = connected.client();
            }
            JobRun run = new JobRun(client, file, new JobRun.Options(id, poolSize, nodes != null, deadline,
                    inside != null), err, this::progress, System::nanoTime);
            RunSummary summary = run.run();
            if (summary.timedOut()) {
                err.println("rebatch run: --timeout " + timeout + " passed before every task completed: "
                        + summary.incomplete() + " of " + summary.total() + " tasks are still active or running.");
            }
            err.flush();
            if (format == Format.JSON) {
                out.println(BatchJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary.toJson()));
            } else {
                summary.print(out, hints(summary, inside));
            }
            return summary.exitCode();
        } catch (BatchException failure) {
            ErrorReport report = ErrorReport.of(failure, new ErrorReport.Context(url, development, id, file.poolId()));
            report.print(err);
            if (debug) {
                failure.printStackTrace(err);
            }
            return report.exitCode();
        } catch (JobRun.RunFailure failure) {
            err.println(failure.getMessage());
            if (failure.hint() != null) {
                err.println("  " + failure.hint());
            }
            return failure.exitCode();
        } catch (com.fasterxml.jackson.core.JsonProcessingException unexpected) {
            throw new UncheckedIOException(unexpected);
        } finally {
            if (inside != null) {
                inside.close(err);
            }
            out.flush();
            err.flush();
        }
    }

    private ConnectionOptions connectionOptions() {
        ConnectionOptions connection = new ConnectionOptions();
        connection.endpoint = endpoint;
        connection.accountName = accountName;
        connection.accountKey = accountKey;
        connection.retries = retries;
        connection.debug = debug;
        return connection;
    }

    /** The display for the wait: the --progress mode, auto deciding by whether stdout is a terminal. */
    private RunProgress progress(String job, long total) {
        Progress mode = progress == Progress.AUTO ? (terminal() ? Progress.BAR : Progress.PLAIN) : progress;
        PrintWriter err = spec.commandLine().getErr();
        err.flush();
        return switch (mode) {
            case BAR -> new RunProgress.Bar(total);
            case PLAIN -> new RunProgress.Plain(err, PLAIN_PROGRESS_EVERY, System::nanoTime);
            default -> RunProgress.NONE;
        };
    }

    /**
     * Whether this process talks to a terminal. Java 22 and later always have a Console and say so with
     * {@code isTerminal()}; Java 21 has one only for a terminal.
     */
    static boolean terminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException java21) {
            return true;
        } catch (ReflectiveOperationException unknown) {
            return false;
        }
    }

    /** Where to read the tasks' output, after the summary. */
    private List<String> hints(RunSummary summary, Inside inside) {
        String task = summary.firstFailedTask() == null ? "TASK" : summary.firstFailedTask();
        String read = "./rebatch task output " + summary.jobId() + " " + task;
        List<String> hints = new ArrayList<>();
        if (inside == null) {
            hints.add("Output: " + read + (endpoint == null ? "" : " --endpoint " + endpoint)
                    + " (--stderr for stderr.txt)");
            if (summary.timedOut()) {
                hints.add("The job goes on: ./rebatch job counts " + summary.jobId());
            }
        } else if (inside.kept) {
            hints.add("The service ran inside this command; its store stays in " + inside.dataDir + ".");
            hints.add("To look at the job again: ./rebatch server --data " + inside.dataDir + ", then " + read);
        } else {
            hints.add("The service ran inside this command, and its temporary store is removed now. To look at the "
                    + "tasks afterwards, run with --data DIR, then: ./rebatch server --data DIR and " + read);
        }
        return hints;
    }

    /** The service inside this command: its directory (kept, or a temporary one removed at the end). */
    private static final class Inside {
        final EmbeddedService service;
        final Path dataDir;
        final boolean kept;
        final Thread hook;

        private Inside(EmbeddedService service, Path dataDir, boolean kept) {
            this.service = service;
            this.dataDir = dataDir;
            this.kept = kept;
            // Ctrl+C: stop the agents and close the store cleanly (the finally blocks do not run at exit).
            this.hook = new Thread(this::stop, "rebatch-run-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /** Starts it, or says why not on {@code err} and returns null. */
        static Inside start(Path data, ConnectionOptions.Credentials credentials, PrintWriter err) {
            Path directory = data;
            try {
                if (directory == null) {
                    directory = Files.createTempDirectory("rebatch-run-");
                } else {
                    Files.createDirectories(directory);
                }
                EmbeddedService service = EmbeddedService.start(directory, credentials.name(), credentials.key(),
                        LOCAL_NODES);
                err.println("Started the service inside this command at " + service.endpoint() + " (store in "
                        + directory + (data == null ? ", removed at the end" : "") + ").");
                err.flush();
                return new Inside(service, directory, data != null);
            } catch (IOException | RuntimeException failed) {
                err.println("Cannot start the service: " + UnexpectedErrors.describe(failed)
                        + (failed.getCause() == null ? "" : " (" + UnexpectedErrors.describe(failed.getCause()) + ")"));
                if (data == null && directory != null) {
                    deleteTree(directory);
                }
                return null;
            }
        }

        void close(PrintWriter err) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return; // the hook stops it
            }
            try {
                stop();
            } catch (RuntimeException failed) {
                err.println("rebatch run: stopping the service failed: " + UnexpectedErrors.describe(failed));
            }
        }

        private void stop() {
            try {
                service.close();
            } finally {
                if (!kept) {
                    deleteTree(dataDir);
                }
            }
        }
    }

    /** Removes a directory and everything in it, as far as it can. */
    static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException stays) {
                    // a file another process holds: the rest still goes
                }
            });
        } catch (IOException | UncheckedIOException gone) {
            // nothing there, or not readable: nothing more to do
        }
    }
}
