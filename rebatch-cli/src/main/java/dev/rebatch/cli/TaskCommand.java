package dev.rebatch.cli;

import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.model.task.TaskState;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rebatch task list|show|create|delete|terminate|reactivate|output}. */
@Command(name = "task", description = "Tasks: list, show, create, delete, terminate, reactivate, output.",
        subcommands = {TaskCommand.ListAll.class, TaskCommand.Show.class, TaskCommand.Create.class,
                TaskCommand.Delete.class, TaskCommand.Terminate.class, TaskCommand.Reactivate.class,
                TaskCommand.Output.class},
        synopsisSubcommandLabel = "COMMAND")
final class TaskCommand {

    static final List<Column> COLUMNS = List.of(
            Column.path("ID", "id"),
            Column.path("STATE", "state"),
            Column.path("EXIT CODE", "executionInfo.exitCode"),
            Column.path("RETRIES", "executionInfo.retryCount"),
            Column.path("NODE", "nodeInfo.nodeId"),
            Column.path("COMMAND", "commandLine", 50));

    /** How often {@code task output --follow} asks for more. */
    private static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(2);

    /** A command about one task of a job. */
    abstract static class OneTask extends ClientCommand {
        @Parameters(index = "0", paramLabel = "JOB")
        String job;

        @Parameters(index = "1", paramLabel = "TASK")
        String id;

        @Override
        String jobId() {
            return job;
        }
    }

    @Command(name = "list", description = "List a job's tasks.")
    static final class ListAll extends ClientCommand {
        @Parameters(index = "0", paramLabel = "JOB")
        String job;

        @Mixin
        ListArguments list;

        @Override
        String jobId() {
            return job;
        }

        @Override
        void run(Session session) {
            List<CloudTask> tasks = list.limit(session.client().tasks()
                    .list(job, list.options(session.commandLine()), RequestOptions.DEFAULTS)).toList();
            session.printer().list(tasks, COLUMNS, list.select, "No tasks found in job " + job + ".");
        }
    }

    @Command(name = "show", description = "Show one task.")
    static final class Show extends OneTask {
        @Override
        void run(Session session) {
            session.printer().show(session.client().tasks().get(job, id));
        }
    }

    @Command(name = "create", description = "Add a task to a job, from flags or from the Batch JSON body (--json).")
    static final class Create extends ClientCommand {
        @Parameters(index = "0", paramLabel = "JOB")
        String job;

        @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The task id (or the body's id).")
        String id;

        @Option(names = "--command", paramLabel = "COMMAND-LINE", description = "What the task runs.")
        String commandLine;

        @Option(names = "--display-name", paramLabel = "TEXT")
        String displayName;

        @Option(names = "--max-task-retries", paramLabel = "N",
                description = "Retries if it fails (-1: without limit; default: the job's).")
        Integer maxTaskRetries;

        @Option(names = "--env", paramLabel = "NAME=VALUE", description = "An environment setting (repeatable).")
        Map<String, String> environment = new LinkedHashMap<>();

        @Option(names = "--depends-on", paramLabel = "TASK", split = ",",
                description = "Tasks that must succeed first (the job needs --uses-task-dependencies).")
        List<String> dependsOn = new ArrayList<>();

        @Option(names = "--json", paramLabel = "FILE", description = "The TaskAddParameter body ('-' for stdin).")
        String json;

        @Override
        String jobId() {
            return job;
        }

        @Override
        void run(Session session) {
            TaskSpec spec;
            if (json != null) {
                Creates.noFlagsWithJson(session, commandLine, "--command", displayName, "--display-name",
                        maxTaskRetries, "--max-task-retries", environment, "--env", dependsOn, "--depends-on");
                spec = Creates.body(session, json, id, TaskSpec.class, "task");
            } else {
                Creates.required(session, id, "ID", commandLine, "--command");
                spec = TaskSpec.of(id, commandLine).withDisplayName(displayName);
                if (maxTaskRetries != null) {
                    spec = spec.withMaxTaskRetryCount(maxTaskRetries);
                }
                for (Map.Entry<String, String> setting : environment.entrySet()) {
                    spec = spec.withEnvironmentSetting(setting.getKey(), setting.getValue());
                }
                if (!dependsOn.isEmpty()) {
                    spec = spec.withDependsOnTasks(dependsOn.toArray(String[]::new));
                }
            }
            session.client().tasks().create(job, spec);
            if (session.printer().json()) {
                session.printer().show(session.client().tasks().get(job, spec.id()));
            } else {
                session.printer().done("Added task " + spec.id() + " to job " + job + ".");
            }
        }
    }

    @Command(name = "delete", description = "Delete a task.")
    static final class Delete extends OneTask {
        @Override
        void run(Session session) {
            session.client().tasks().delete(job, id);
            session.printer().done("Deleted task " + id + " of job " + job + ".");
        }
    }

    @Command(name = "terminate", description = "Terminate a task: it completes without running (further).")
    static final class Terminate extends OneTask {
        @Override
        void run(Session session) {
            session.client().tasks().terminate(job, id);
            session.printer().done("Terminated task " + id + " of job " + job + ".");
        }
    }

    @Command(name = "reactivate", description = "Run a task that failed again; its retry count starts from 0.")
    static final class Reactivate extends OneTask {
        @Override
        void run(Session session) {
            session.client().tasks().reactivate(job, id);
            session.printer().done("Reactivated task " + id + " of job " + job + ".");
        }
    }

    @Command(name = "output", description = {"Print the task's stdout.txt (or stderr.txt).",
            "With --follow, keep printing what the task writes until it completes."})
    static final class Output extends OneTask {
        @Option(names = "--stderr", description = "stderr.txt instead of stdout.txt.")
        boolean stderr;

        @Option(names = {"-f", "--follow"}, description = "Keep reading the growing file until the task completes.")
        boolean follow;

        @Override
        void run(Session session) throws InterruptedException {
            String file = stderr ? "stderr.txt" : "stdout.txt";
            try {
                if (follow) {
                    follow(session, file);
                } else {
                    byte[] content = session.client().files().read(job, id, file, RequestOptions.DEFAULTS);
                    session.printer().out().print(new String(content, StandardCharsets.UTF_8));
                }
            } catch (BatchServiceException answer) {
                if (notStarted(answer)) {
                    throw new ClientCommand.CommandFailure("Error: task " + id + " of job " + job
                            + " has not run yet, so it has no files (" + answer.statusCode() + " "
                            + answer.errorCode() + ")",
                            "wait for it to start, or follow its output as it runs with: rebatch task output " + job
                                    + " " + id + " --follow",
                            Rebatch.SERVICE_REFUSED);
                }
                if (answer.statusCode() == 501) {
                    // Not a refusal the user can fix: the service has no task files yet (they come with nodes).
                    throw new ClientCommand.CommandFailure("Error: task files are not available from this service yet ("
                            + answer.statusCode() + " " + answer.errorCode() + ")",
                            "see the task's state and exit code with: rebatch task show " + job + " " + id,
                            Rebatch.SERVICE_REFUSED);
                }
                throw answer;
            }
        }

        private void follow(Session session, String file) throws InterruptedException {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            ByteBuffer pending = ByteBuffer.allocate(0);
            long offset = 0;
            while (true) {
                // Read the state first: a task seen completed has written everything it will write.
                boolean completed = session.client().tasks().get(job, id).state() == TaskState.COMPLETED;
                byte[] more;
                try {
                    more = session.client().files().read(job, id, file, offset, RequestOptions.DEFAULTS);
                } catch (BatchServiceException answer) {
                    boolean noFileYet = answer.statusCode() == 404 && "FileNotFound".equals(answer.errorCode());
                    if (!noFileYet && !notStarted(answer)) {
                        throw answer;
                    }
                    more = new byte[0]; // not started yet: no file
                }
                offset += more.length;
                pending = decode(decoder, pending, more, session);
                if (completed) {
                    return;
                }
                Thread.sleep(FOLLOW_INTERVAL.toMillis());
            }
        }

        /** The service's answer for a task that is still active: it has not run, so it has no files yet. */
        private static boolean notStarted(BatchServiceException answer) {
            return answer.statusCode() == 409 && "OperationInvalidForCurrentState".equals(answer.errorCode());
        }

        /** Prints the complete characters of {@code pending + more}; returns the bytes of a character cut in two. */
        private static ByteBuffer decode(CharsetDecoder decoder, ByteBuffer pending, byte[] more, Session session) {
            ByteBuffer input = ByteBuffer.allocate(pending.remaining() + more.length).put(pending).put(more).flip();
            CharBuffer chars = CharBuffer.allocate(input.remaining() + 1);
            decoder.decode(input, chars, false);
            session.printer().out().print(chars.flip());
            session.printer().out().flush();
            return input.slice();
        }
    }
}
