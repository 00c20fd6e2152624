package dev.rebatch.cli;

import dev.rebatch.cli.nodes.LocalNodeProvisioner;
import dev.rebatch.server.ServerLauncher;
import dev.rebatch.server.auth.Account;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.nodes.NodeProvisioner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebatch server}: runs the service in this JVM until stopped (Ctrl+C), after printing where it listens,
 * which account it serves and where that account's key comes from.
 */
@Command(name = "server", description = {"Run the Azure-Batch-compatible service until stopped (Ctrl+C).",
        "Embedded store by default, PostgreSQL with --store. Accounts come from REBATCH_ACCOUNT_NAME and "
                + "REBATCH_ACCOUNT_KEY or REBATCH_ACCOUNTS_FILE; without them the published development account "
                + "is used (docs/authentication.md).",
        "Each pool gets as many node agents in this process as its targetDedicatedNodes (their files under the "
                + "data directory's nodes/), unless --no-local-nodes."})
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "H", defaultValue = ServerLauncher.DEFAULT_HOST,
            description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + ServerLauncher.DEFAULT_PORT,
            description = "The port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    String port;

    @Option(names = "--data", paramLabel = "DIR", description = "The embedded store's directory (default: ~/.rebatch/data).")
    Path data;

    @Option(names = "--store", paramLabel = "JDBC-URL",
            description = "PostgreSQL instead of the embedded store: jdbc:postgresql://HOST:5432/DB?user=U")
    String store;

    @Option(names = "--faults", paramLabel = "FILE",
            description = "Inject errors, latency and dropped connections by the rules in FILE "
                    + "(docs/fault-injection.md).")
    Path faults;

    @Option(names = "--no-local-nodes",
            description = "Start no node agents in this process: pools get only the agents that join them "
                    + "(./rebatch node). By default each pool gets targetDedicatedNodes local agents.")
    boolean noLocalNodes;

    @Option(names = "--debug", description = "Print the stack trace when the service cannot start.")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Rebatch root = (Rebatch) spec.root().userObject();
        ServerLauncher.Settings settings = new ServerLauncher.Settings(host, port(),
                data == null ? ServerLauncher.defaultDataDir() : data, store, faults);
        ServerLauncher.Running running;
        try {
            running = ServerLauncher.start(settings, root.environment(),
                    noLocalNodes ? ServerLauncher.Provisioners.NONE : ServerCommand::localNodes);
        } catch (ServerLauncher.StartRefusedException refused) {
            err.println("Cannot start: " + refused.getMessage());
            err.flush();
            return Rebatch.USAGE;
        } catch (RuntimeException failed) {
            // The store or the port: say which in one line; the trace only when asked for.
            err.println("Cannot start: " + UnexpectedErrors.describe(failed)
                    + (failed.getCause() == null ? "" : " (" + UnexpectedErrors.describe(failed.getCause()) + ")"));
            if (debug) {
                failed.printStackTrace(err);
            }
            err.flush();
            return Rebatch.SERVICE_REFUSED;
        }
        running.printBanner(out);
        try {
            running.awaitShutdown();
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt(); // asked to stop: awaitShutdown has closed the service
        }
        return Rebatch.OK;
    }

    /** Local node agents for every account served, under the data directory's {@code nodes/}. */
    static NodeProvisioner localNodes(String endpoint, AccountRegistry accounts, Path dataDir) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Account account : accounts.accounts()) {
            keys.put(account.name(), Base64.getEncoder().encodeToString(account.key()));
        }
        return LocalNodeProvisioner.start(endpoint, keys, dataDir.resolve("nodes"));
    }

    private int port() {
        try {
            int number = Integer.parseInt(port);
            if (number >= 0 && number <= 65535) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // the usage error below
        }
        throw new CommandLine.ParameterException(spec.commandLine(),
                "--port must be a number from 0 to 65535, was " + port + ".");
    }
}
