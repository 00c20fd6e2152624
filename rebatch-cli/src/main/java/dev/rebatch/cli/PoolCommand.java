package dev.rebatch.cli;

import dev.rebatch.client.RequestOptions;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.PoolResize;
import dev.rebatch.model.pool.PoolSpec;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rebatch pool list|show|create|delete|resize}. */
@Command(name = "pool", description = "Pools: list, show, create, delete, resize.",
        subcommands = {PoolCommand.ListAll.class, PoolCommand.Show.class, PoolCommand.Create.class,
                PoolCommand.Delete.class, PoolCommand.Resize.class},
        synopsisSubcommandLabel = "COMMAND")
final class PoolCommand {

    static final List<Column> COLUMNS = List.of(
            Column.path("ID", "id"),
            Column.path("STATE", "state"),
            Column.path("ALLOCATION", "allocationState"),
            Column.path("VM SIZE", "vmSize"),
            Column.ratio("DEDICATED", "currentDedicatedNodes", "targetDedicatedNodes"),
            Column.ratio("LOW PRIORITY", "currentLowPriorityNodes", "targetLowPriorityNodes"),
            Column.path("CREATED", "creationTime"));

    @Command(name = "list", description = "List the account's pools.")
    static final class ListAll extends ClientCommand {
        @Mixin
        ListArguments list;

        @Override
        void run(Session session) {
            List<CloudPool> pools = list.limit(session.client().pools()
                    .list(list.options(session.commandLine()), RequestOptions.DEFAULTS)).toList();
            session.printer().list(pools, COLUMNS, list.select, "No pools found.");
        }
    }

    @Command(name = "show", description = "Show one pool.")
    static final class Show extends ClientCommand {
        @Parameters(index = "0", paramLabel = "POOL")
        String id;

        @Override
        void run(Session session) {
            session.printer().show(session.client().pools().get(id));
        }
    }

    @Command(name = "create", description = {"Create a pool from flags or from the Batch JSON body (--json).",
            "Rebatch needs only --vm-size; Azure Batch also wants a virtualMachineConfiguration (use --json)."})
    static final class Create extends ClientCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The pool id (or the body's id).")
        String id;

        @Option(names = "--vm-size", paramLabel = "SIZE", description = "The VM size, e.g. standard_d2s_v3.")
        String vmSize;

        @Option(names = "--nodes", paramLabel = "N", description = "Target dedicated nodes (default 0).")
        Integer nodes;

        @Option(names = "--low-priority-nodes", paramLabel = "N", description = "Target Spot/low-priority nodes.")
        Integer lowPriorityNodes;

        @Option(names = "--task-slots-per-node", paramLabel = "N", description = "Tasks a node runs at once.")
        Integer taskSlotsPerNode;

        @Option(names = "--display-name", paramLabel = "TEXT")
        String displayName;

        @Option(names = "--json", paramLabel = "FILE", description = "The PoolAddParameter body ('-' for stdin).")
        String json;

        @Override
        void run(Session session) {
            PoolSpec spec;
            if (json != null) {
                Creates.noFlagsWithJson(session, vmSize, "--vm-size", nodes, "--nodes", lowPriorityNodes,
                        "--low-priority-nodes", taskSlotsPerNode, "--task-slots-per-node", displayName,
                        "--display-name");
                spec = Creates.body(session, json, id, PoolSpec.class, "pool");
            } else {
                Creates.required(session, id, "ID", vmSize, "--vm-size");
                spec = PoolSpec.of(id, vmSize, nodes == null ? 0 : nodes)
                        .withTargetLowPriorityNodes(lowPriorityNodes)
                        .withTaskSlotsPerNode(taskSlotsPerNode)
                        .withDisplayName(displayName);
            }
            session.client().pools().create(spec);
            if (session.printer().json()) {
                session.printer().show(session.client().pools().get(spec.id()));
            } else {
                session.printer().done("Created pool " + spec.id() + ".");
            }
        }
    }

    @Command(name = "delete", description = "Delete a pool (the service finishes the delete in the background).")
    static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "POOL")
        String id;

        @Override
        void run(Session session) {
            session.client().pools().delete(id);
            session.printer().done("Deleting pool " + id + ".");
        }
    }

    @Command(name = "resize", description = "Resize a pool to a number of nodes.")
    static final class Resize extends ClientCommand {
        @Parameters(index = "0", paramLabel = "POOL")
        String id;

        @Option(names = "--nodes", paramLabel = "N", required = true, description = "Target dedicated nodes.")
        int nodes;

        @Option(names = "--low-priority-nodes", paramLabel = "N", description = "Target Spot/low-priority nodes.")
        Integer lowPriorityNodes;

        @Override
        String poolId() {
            return id;
        }

        @Override
        void run(Session session) {
            session.client().pools().resize(id, new PoolResize(nodes, lowPriorityNodes, null, null));
            session.printer().done("Resizing pool " + id + " to " + nodes + " dedicated"
                    + (lowPriorityNodes == null ? "" : " and " + lowPriorityNodes + " low-priority") + " nodes.");
        }
    }
}
