package dev.rebatch.cli;

import dev.rebatch.client.RequestOptions;
import dev.rebatch.model.node.ComputeNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rebatch node list|show}: the compute nodes of a pool. */
@Command(name = "node", description = "The compute nodes of a pool: list, show.",
        subcommands = {NodeCommand.ListAll.class, NodeCommand.Show.class},
        synopsisSubcommandLabel = "COMMAND")
final class NodeCommand {

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
