package dev.rebatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code rebatch} command: {@code rebatch run} runs a job from a job file (inside its own service unless given an
 * endpoint); {@code rebatch server} runs the service; {@code pool}, {@code job}, {@code task} and
 * {@code node} drive a Batch account (Rebatch or Azure Batch with Shared Key) through the Java SDK.
 *
 * <p>Exit codes: 0 done, 1 the service refused (or something unexpected failed), 2 a usage error, 3 the service
 * could not be reached.
 */
@Command(name = "rebatch", mixinStandardHelpOptions = true, versionProvider = Rebatch.Version.class,
        // --help and --version on every subcommand too
        scope = CommandLine.ScopeType.INHERIT,
        description = "Runs a job from a job file, runs the Azure-Batch-compatible service, and drives its pools, "
                + "jobs and tasks.",
        subcommands = {RunCommand.class, ServerCommand.class, PoolCommand.class, JobCommand.class, TaskCommand.class,
                NodeCommand.class, CommandLine.HelpCommand.class})
public final class Rebatch implements Callable<Integer> {

    public static final int OK = 0;
    /** The service answered with an error (and anything unexpected). */
    public static final int SERVICE_REFUSED = 1;
    /** picocli's usage error code: a bad option, a missing argument, an unusable --json file. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    /** No answer from the service: refused connection, unknown host, timeouts. */
    public static final int UNREACHABLE = 3;

    private final Map<String, String> environment;
    private final InputStream stdin;

    @Spec
    CommandSpec spec;

    public Rebatch(Map<String, String> environment, InputStream stdin) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    /** The command line, ready to {@link CommandLine#execute}; the environment stands in for System.getenv(). */
    public static CommandLine commandLine(Map<String, String> environment, InputStream stdin) {
        CommandLine commandLine = new CommandLine(new Rebatch(environment, stdin));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(new UnexpectedErrors());
        commandLine.setParameterExceptionHandler(Rebatch::usageError);
        // Set after construction, so that the subcommands (which inherit the help options) do not inherit it.
        commandLine.getCommandSpec().usageMessage().footerHeading("%n").footer(
                "The client commands reach the service at --endpoint or $REBATCH_ENDPOINT",
                "(default http://127.0.0.1:8070) as the account --account-name/--account-key",
                "or $REBATCH_ACCOUNT_NAME/$REBATCH_ACCOUNT_KEY (default: the published",
                "development account, which ./rebatch server accepts unless told otherwise).",
                "",
                "Exit codes: 0 done, 1 the service refused, 2 usage error, 3 cannot reach",
                "the service (rebatch run: 1 also when a task failed, 4 when --timeout passed).",
                "'rebatch COMMAND --help' shows the options of each command.");
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(), System.in).execute(args));
    }

    /** {@code rebatch} alone: the usage, as for --help. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return OK;
    }

    /** A usage error: the message, any "did you mean", and where the options are; not the whole help. */
    private static int usageError(CommandLine.ParameterException problem, String[] args) {
        CommandLine command = problem.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("rebatch: " + problem.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(problem, err);
        err.println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    Map<String, String> environment() {
        return environment;
    }

    InputStream stdin() {
        return stdin;
    }

    /** The version of the build, from version.properties (filtered by Maven). */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            return new String[] {"rebatch " + version(), "Java " + Runtime.version()};
        }

        static String version() {
            try (InputStream in = Rebatch.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
