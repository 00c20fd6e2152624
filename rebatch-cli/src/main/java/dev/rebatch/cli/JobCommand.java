package dev.rebatch.cli;

import dev.rebatch.client.RequestOptions;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.DisableJobOption;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.OnAllTasksComplete;
import dev.rebatch.model.job.TaskCountsResult;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rebatch job list|show|create|delete|terminate|disable|enable|counts}. */
@Command(name = "job", description = "Jobs: list, show, create, delete, terminate, disable, enable, counts.",
        subcommands = {JobCommand.ListAll.class, JobCommand.Show.class, JobCommand.Create.class,
                JobCommand.Delete.class, JobCommand.Terminate.class, JobCommand.Disable.class,
                JobCommand.Enable.class, JobCommand.Counts.class},
        synopsisSubcommandLabel = "COMMAND")
final class JobCommand {

    static final List<Column> COLUMNS = List.of(
            Column.path("ID", "id"),
            Column.path("STATE", "state"),
            Column.path("POOL", "poolInfo.poolId"),
            Column.path("PRIORITY", "priority"),
            Column.path("CREATED", "creationTime"));

    /** A command about one job. */
    abstract static class OneJob extends ClientCommand {
        @Parameters(index = "0", paramLabel = "JOB")
        String id;

        @Override
        String jobId() {
            return id;
        }
    }

    @Command(name = "list", description = "List the account's jobs.")
    static final class ListAll extends ClientCommand {
        @Mixin
        ListArguments list;

        @Override
        void run(Session session) {
            List<CloudJob> jobs = list.limit(session.client().jobs()
                    .list(list.options(session.commandLine()), RequestOptions.DEFAULTS)).toList();
            session.printer().list(jobs, COLUMNS, list.select, "No jobs found.");
        }
    }

    @Command(name = "show", description = "Show one job.")
    static final class Show extends OneJob {
        @Override
        void run(Session session) {
            session.printer().show(session.client().jobs().get(id));
        }
    }

    @Command(name = "create", description = "Create a job from flags or from the Batch JSON body (--json).")
    static final class Create extends ClientCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The job id (or the body's id).")
        String id;

        @Option(names = "--pool", paramLabel = "POOL", description = "The pool the job's tasks run on.")
        String pool;

        @Option(names = "--priority", paramLabel = "N", description = "-1000 (lowest) to 1000 (highest); default 0.")
        Integer priority;

        @Option(names = "--max-task-retries", paramLabel = "N",
                description = "Retries of a failed task (-1: without limit; default 0).")
        Integer maxTaskRetries;

        @Option(names = "--max-parallel-tasks", paramLabel = "N", description = "Tasks of the job running at once.")
        Integer maxParallelTasks;

        @Option(names = "--display-name", paramLabel = "TEXT")
        String displayName;

        @Option(names = "--on-all-tasks-complete", paramLabel = "ACTION",
                description = "noaction (default) or terminatejob.")
        String onAllTasksComplete;

        @Option(names = "--uses-task-dependencies", description = "Tasks may depend on other tasks of the job.")
        boolean usesTaskDependencies;

        @Option(names = "--json", paramLabel = "FILE", description = "The JobAddParameter body ('-' for stdin).")
        String json;

        @Override
        String jobId() {
            return id;
        }

        @Override
        void run(Session session) {
            JobSpec spec;
            if (json != null) {
                Creates.noFlagsWithJson(session, pool, "--pool", priority, "--priority", maxTaskRetries,
                        "--max-task-retries", maxParallelTasks, "--max-parallel-tasks", displayName, "--display-name",
                        onAllTasksComplete, "--on-all-tasks-complete", usesTaskDependencies,
                        "--uses-task-dependencies");
                spec = Creates.body(session, json, id, JobSpec.class, "job");
            } else {
                Creates.required(session, id, "ID", pool, "--pool");
                spec = JobSpec.of(id, pool).withPriority(priority).withMaxParallelTasks(maxParallelTasks)
                        .withDisplayName(displayName)
                        .withOnAllTasksComplete(onAllTasksComplete(session))
                        .withUsesTaskDependencies(usesTaskDependencies ? Boolean.TRUE : null);
                if (maxTaskRetries != null) {
                    spec = spec.withMaxTaskRetryCount(maxTaskRetries);
                }
            }
            session.client().jobs().create(spec);
            if (session.printer().json()) {
                session.printer().show(session.client().jobs().get(spec.id()));
            } else {
                session.printer().done("Created job " + spec.id() + ".");
            }
        }

        private OnAllTasksComplete onAllTasksComplete(Session session) {
            if (onAllTasksComplete == null) {
                return null;
            }
            OnAllTasksComplete action = BatchJson.mapper().convertValue(onAllTasksComplete, OnAllTasksComplete.class);
            if (action == OnAllTasksComplete.UNKNOWN) {
                throw session.usage("--on-all-tasks-complete must be noaction or terminatejob, was "
                        + onAllTasksComplete);
            }
            return action;
        }
    }

    @Command(name = "delete", description = "Delete a job and its tasks (finished by the service in the background).")
    static final class Delete extends OneJob {
        @Override
        void run(Session session) {
            session.client().jobs().delete(id);
            session.printer().done("Deleting job " + id + ".");
        }
    }

    @Command(name = "terminate", description = "Terminate a job: its running tasks are ended, it completes.")
    static final class Terminate extends OneJob {
        @Option(names = "--reason", paramLabel = "TEXT", description = "The terminate reason (default UserTerminate).")
        String reason;

        @Override
        void run(Session session) {
            session.client().jobs().terminate(id, reason);
            session.printer().done("Terminating job " + id + ".");
        }
    }

    @Command(name = "disable", description = "Disable a job: no new tasks start.")
    static final class Disable extends OneJob {
        @Option(names = "--disable-tasks", paramLabel = "WHAT", defaultValue = "requeue",
                description = "What happens to running tasks: requeue (default), terminate or wait.")
        DisableJobOption disableTasks;

        @Override
        void run(Session session) {
            session.client().jobs().disable(id, disableTasks);
            session.printer().done("Disabling job " + id + ".");
        }
    }

    @Command(name = "enable", description = "Enable a disabled job.")
    static final class Enable extends OneJob {
        @Override
        void run(Session session) {
            session.client().jobs().enable(id);
            session.printer().done("Enabling job " + id + ".");
        }
    }

    @Command(name = "counts", description = "The job's tasks (and task slots) by state.")
    static final class Counts extends OneJob {
        @Override
        void run(Session session) {
            TaskCountsResult counts = session.client().jobs().taskCounts(id);
            if (session.printer().json()) {
                session.printer().show(counts);
                return;
            }
            List<List<String>> rows = new java.util.ArrayList<>();
            if (counts.taskCounts() != null) {
                var c = counts.taskCounts();
                rows.add(row("tasks", c.active(), c.running(), c.completed(), c.succeeded(), c.failed()));
            }
            if (counts.taskSlotCounts() != null) {
                var s = counts.taskSlotCounts();
                rows.add(row("slots", s.active(), s.running(), s.completed(), s.succeeded(), s.failed()));
            }
            session.printer().table(List.of("", "ACTIVE", "RUNNING", "COMPLETED", "SUCCEEDED", "FAILED"), rows);
        }

        private static List<String> row(String what, int... counts) {
            List<String> row = new java.util.ArrayList<>();
            row.add(what);
            for (int count : counts) {
                row.add(Integer.toString(count));
            }
            return row;
        }
    }
}
