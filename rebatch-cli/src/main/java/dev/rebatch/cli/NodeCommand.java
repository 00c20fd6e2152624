package dev.rebatch.cli;

import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.node.agent.NodeAgent;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rebatch node --pool ID}: this machine joins a pool as a compute node and runs its tasks until stopped;
 * {@code rebatch node list|show}: the compute nodes of a pool.
 */
@Command(name = "node", description = {"Join a pool as a compute node and run its tasks until stopped (--pool ID); "
        + "or list and show a pool's nodes.",
        "As a node: registers with the service at --endpoint, leases the pool's tasks and runs them as processes "
                + "under --root, serves their files to the service, and reports how each ended. Ctrl+C ends the "
                + "running tasks and leaves the pool: the service runs them again elsewhere."},
        subcommands = {NodeCommand.ListAll.class, NodeCommand.Show.class},
        synopsisSubcommandLabel = "[COMMAND]")
final class NodeCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--pool", paramLabel = "ID", description = "The pool to join as a node.")
    String pool;

    @Option(names = "--slots", paramLabel = "N",
            description = "Task slots to offer, 1 to 256 (default: the pool's taskSlotsPerNode).")
    Integer slots;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The node's directory: tasks run in DIR/workitems/... (default: ~/.rebatch/node/POOL).")
    Path root;

    @Option(names = "--files-host", paramLabel = "H",
            description = "Where the service reaches this node's task files: the address to listen on and the name "
                    + "given to the service (default: 127.0.0.1 when the service is on this machine, else every "
                    + "address, named by this machine's host name).")
    String filesHost;

    @Option(names = "--files-port", paramLabel = "P", defaultValue = "0",
            description = "The port of the task files server (default: any free one).")
    int filesPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        if (pool == null) {
            throw new CommandLine.ParameterException(commandLine, "Give --pool ID to join a pool as a node, or a "
                    + "command: list, show.");
        }
        if (slots != null && (slots < 1 || slots > 256)) {
            throw new CommandLine.ParameterException(commandLine, "--slots must be from 1 to 256, was " + slots + ".");
        }
        if (filesPort < 0 || filesPort > 65535) {
            throw new CommandLine.ParameterException(commandLine,
                    "--files-port must be from 0 to 65535, was " + filesPort + ".");
        }
        Rebatch rebatch = (Rebatch) spec.root().userObject();
        ConnectionOptions.Connection resolved = connection.connect(commandLine, rebatch.environment(), err);
        Path directory = root != null ? root : Path.of(System.getProperty("user.home"), ".rebatch", "node", pool);
        String[] files = filesAddress(resolved.endpoint());
        NodeAgent agent = NodeAgent.builder(resolved.client(), pool)
                .root(directory)
                .taskSlots(slots)
                .filesServer(files[0], filesPort, files[1])
                .registrationFile(directory.resolve("node.json"))
                .reRegister(true)
                .agentVersion("rebatch " + Rebatch.Version.version())
                .build();
        try {
            agent.start();
        } catch (UncheckedIOException cannotListen) {
            err.println("rebatch: " + cannotListen.getMessage());
            err.println("  choose another --files-host or --files-port.");
            err.flush();
            return Rebatch.SERVICE_REFUSED;
        }
        // Ctrl+C (or SIGTERM): the node leaves the pool, so that its tasks run again elsewhere at once.
        Thread leave = new Thread(agent::leave, "rebatch-node-leave");
        Runtime.getRuntime().addShutdownHook(leave);
        try {
            NodeRegistration node = agent.registered().get();
            out.println("Joined pool " + node.poolId() + " at " + resolved.endpoint() + " as node " + node.nodeId()
                    + " (account " + resolved.accountName() + ")");
            out.println("  task slots: " + node.taskSlots());
            out.println("  directory:  " + agent.root());
            out.println("  task files: " + agent.filesUrl());
            out.println("Running the pool's tasks until stopped (Ctrl+C: the node leaves the pool and its running "
                    + "tasks go back to the queue).");
            out.flush();
            agent.stopped().get();
            return Rebatch.OK;
        } catch (ExecutionException refused) {
            agent.close();
            if (refused.getCause() instanceof BatchException failure) {
                ErrorReport report = ErrorReport.of(failure, new ErrorReport.Context(resolved.endpoint(),
                        resolved.developmentAccount(), null, pool));
                report.print(err);
                err.flush();
                return report.exitCode();
            }
            err.println("rebatch: the node stopped: " + refused.getCause());
            err.flush();
            return Rebatch.SERVICE_REFUSED;
        } catch (InterruptedException stop) {
            agent.leave();
            Thread.currentThread().interrupt();
            return Rebatch.OK;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(leave);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it makes the node leave
            }
        }
    }

    /**
     * The address to listen on and the host name the service is given: this machine only when the service is on it
     * too, else every address under this machine's name.
     */
    private String[] filesAddress(String endpoint) {
        if (filesHost != null) {
            return new String[] {filesHost, filesHost};
        }
        String serviceHost = URI.create(endpoint).getHost();
        try {
            if (serviceHost != null && InetAddress.getByName(serviceHost).isLoopbackAddress()) {
                return new String[] {"127.0.0.1", "127.0.0.1"};
            }
        } catch (UnknownHostException unknown) {
            // the registration will say so
        }
        String name;
        try {
            name = InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException unknown) {
            name = "localhost";
        }
        return new String[] {"0.0.0.0", name};
    }

    static final List<Column> COLUMNS = List.of(
            Column.path("ID", "id"),
            Column.path("STATE", "state"),
            Column.path("SCHEDULING", "schedulingState"),
            Column.path("IP", "ipAddress"),
            Column.path("VM SIZE", "vmSize"),
            Column.path("RUNNING", "runningTasksCount"),
            Column.path("TASKS RUN", "totalTasksRun"));

    @Command(name = "list", description = "List a pool's nodes.")
    static final class ListAll extends ClientCommand {
        @Parameters(index = "0", paramLabel = "POOL")
        String pool;

        @Mixin
        ListArguments list;

        @Override
        String poolId() {
            return pool;
        }

        @Override
        void run(Session session) {
            List<ComputeNode> nodes = list.limit(session.client().nodes()
                    .list(pool, list.options(session.commandLine()), RequestOptions.DEFAULTS)).toList();
            session.printer().list(nodes, COLUMNS, list.select, "No nodes found in pool " + pool + ".");
        }
    }

    @Command(name = "show", description = "Show one node of a pool.")
    static final class Show extends ClientCommand {
        @Parameters(index = "0", paramLabel = "POOL")
        String pool;

        @Parameters(index = "1", paramLabel = "NODE")
        String node;

        @Override
        String poolId() {
            return pool;
        }

        @Override
        void run(Session session) {
            session.printer().show(session.client().nodes().get(pool, node, RequestOptions.DEFAULTS));
        }
    }
}
