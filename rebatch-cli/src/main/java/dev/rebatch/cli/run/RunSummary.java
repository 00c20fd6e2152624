package dev.rebatch.cli.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskExecutionInformation;
import dev.rebatch.model.task.TaskExecutionResult;
import dev.rebatch.model.task.TaskState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run came to: how many tasks succeeded and failed, the failures grouped by exit code and failure code, the
 * slowest tasks, and the exit code of {@code rebatch run}.
 *
 * @param jobId           the job
 * @param poolId          its pool
 * @param total           every task of the job
 * @param succeeded       completed with success
 * @param failed          completed with a failure
 * @param incomplete      not completed (still active or running: the wait timed out)
 * @param retries         the tasks' retryCount, summed
 * @param requeues        the tasks' requeueCount, summed
 * @param failures        the failed tasks by exit code and failure code, the biggest group first
 * @param slowest         the longest-running completed tasks (endTime - startTime), the longest first
 * @param elapsed         how long the run waited for the tasks
 * @param timedOut        whether the wait ended at the deadline
 * @param terminateReason why the job ended when a task's exit ended it (not AllTasksComplete), else null
 */
public record RunSummary(String jobId, String poolId, long total, long succeeded, long failed, long incomplete,
        long retries, long requeues, List<FailureGroup> failures, List<SlowTask> slowest, Duration elapsed,
        boolean timedOut, String terminateReason) {

    /** Every task succeeded. */
    public static final int ALL_SUCCEEDED = 0;
    /** A task failed (or was not run). */
    public static final int SOME_FAILED = 1;
    /** The deadline ({@code --timeout}) came before every task completed. */
    public static final int TIMED_OUT = 4;

    /** How many task ids each failure group names, and how many slow tasks the summary lists. */
    static final int SAMPLE_IDS = 3;
    static final int SLOWEST = 5;

    public RunSummary {
        failures = List.copyOf(failures);
        slowest = List.copyOf(slowest);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * The failed tasks that ended the same way.
     *
     * @param exitCode    the exit code, or null (the program did not start, or was ended)
     * @param failureCode executionInfo.failureInfo.code, or null
     * @param count       how many tasks
     * @param taskIds     up to {@value RunSummary#SAMPLE_IDS} of them, in the job's order
     */
    public record FailureGroup(Integer exitCode, String failureCode, long count, List<String> taskIds) {

        public FailureGroup {
            taskIds = List.copyOf(taskIds);
        }

        /** "exit code 1, FailureExitCode", "no exit code, CommandProgramNotFound". */
        public String label() {
            String exit = exitCode == null ? "no exit code" : "exit code " + exitCode;
            return failureCode == null ? exit : exit + ", " + failureCode;
        }
    }

    /** A completed task and how long it ran. */
    public record SlowTask(String taskId, Duration duration) {}

    /**
     * Sums up {@code tasks}, the job's tasks as listed at the end (id, state and executionInfo are enough).
     *
     * @param terminateReason the job's executionInfo.terminateReason, when it has completed
     */
    public static RunSummary of(String jobId, String poolId, List<CloudTask> tasks, Duration elapsed,
            boolean timedOut, String terminateReason) {
        long succeeded = 0;
        long failed = 0;
        long incomplete = 0;
        long retries = 0;
        long requeues = 0;
        Map<List<Object>, List<String>> groups = new LinkedHashMap<>();
        List<SlowTask> ran = new ArrayList<>();
        for (CloudTask task : tasks) {
            TaskExecutionInformation execution = task.executionInfo();
            if (execution != null) {
                retries += execution.retryCount();
                requeues += execution.requeueCount();
            }
            if (task.state() != TaskState.COMPLETED) {
                incomplete++;
                continue;
            }
            if (succeededTask(execution)) {
                succeeded++;
            } else {
                failed++;
                Integer exitCode = execution == null ? null : execution.exitCode();
                String code = execution == null || execution.failureInfo() == null ? null
                        : execution.failureInfo().code();
                groups.computeIfAbsent(java.util.Arrays.asList(exitCode, code), key -> new ArrayList<>())
                        .add(task.id());
            }
            if (execution != null && execution.startTime() != null && execution.endTime() != null) {
                ran.add(new SlowTask(task.id(), Duration.between(execution.startTime(), execution.endTime())));
            }
        }
        List<FailureGroup> failures = new ArrayList<>();
        groups.forEach((key, ids) -> failures.add(new FailureGroup((Integer) key.get(0), (String) key.get(1),
                ids.size(), ids.subList(0, Math.min(SAMPLE_IDS, ids.size())))));
        failures.sort(Comparator.comparingLong(FailureGroup::count).reversed().thenComparing(FailureGroup::label));
        ran.sort(Comparator.comparing(SlowTask::duration).reversed().thenComparing(SlowTask::taskId));
        String reason = terminateReason == null || terminateReason.equalsIgnoreCase("AllTasksComplete")
                ? null : terminateReason;
        return new RunSummary(jobId, poolId, tasks.size(), succeeded, failed, incomplete, retries, requeues, failures,
                ran.subList(0, Math.min(SLOWEST, ran.size())), elapsed, timedOut, reason);
    }

    /** Completed with success: the result says so, or (a service that sends no result) exit code 0 and no failure. */
    private static boolean succeededTask(TaskExecutionInformation execution) {
        if (execution == null) {
            return false;
        }
        if (execution.result() != null && execution.result() != TaskExecutionResult.UNKNOWN) {
            return execution.result() == TaskExecutionResult.SUCCESS;
        }
        return execution.failureInfo() == null && Integer.valueOf(0).equals(execution.exitCode());
    }

    /** 0 when every task succeeded, 1 when one failed or was not run, 4 when the wait timed out. */
    public int exitCode() {
        if (timedOut) {
            return TIMED_OUT;
        }
        return failed == 0 && incomplete == 0 && succeeded == total ? ALL_SUCCEEDED : SOME_FAILED;
    }

    /** The first failed task, for the "read its output" hint; null when none failed. */
    public String firstFailedTask() {
        return failures.isEmpty() ? null : failures.get(0).taskIds().get(0);
    }

    /**
     * The summary for people: a headline, the failure groups, the slowest tasks, then {@code hints} (where to read
     * the output), each line as given.
     */
    public void print(PrintWriter out, List<String> hints) {
        out.println(headline());
        out.println("  retries: " + retries + ", requeues: " + requeues);
        if (terminateReason != null) {
            out.println("  the job was ended early: " + terminateReason);
        }
        if (!failures.isEmpty()) {
            out.println("Failures:");
            List<List<String>> rows = new ArrayList<>();
            for (FailureGroup group : failures) {
                rows.add(List.of(group.count() + (group.count() == 1 ? " task" : " tasks"), group.label(),
                        String.join(", ", group.taskIds()) + (group.count() > group.taskIds().size() ? ", ..." : "")));
            }
            table(out, rows);
        }
        if (!slowest.isEmpty()) {
            out.println("Slowest tasks:");
            table(out, slowest.stream().map(task -> List.of(task.taskId(), Durations.human(task.duration())))
                    .toList());
        }
        hints.forEach(out::println);
        out.flush();
    }

    /** "Job J on pool P: all 10 tasks succeeded in 12.3 s." and its variants. */
    public String headline() {
        String job = "Job " + jobId + " on pool " + poolId + ": ";
        if (timedOut) {
            return job + incomplete + " of " + total + " tasks not complete after " + Durations.human(elapsed)
                    + " (timed out); " + succeeded + " succeeded, " + failed + " failed.";
        }
        if (succeeded == total) {
            return job + (total == 1 ? "the task succeeded" : "all " + total + " tasks succeeded") + " in "
                    + Durations.human(elapsed) + ".";
        }
        return job + total + " tasks, " + succeeded + " succeeded, " + failed + " failed"
                + (incomplete > 0 ? ", " + incomplete + " not complete" : "") + " in " + Durations.human(elapsed)
                + ".";
    }

    /** The summary as JSON, for {@code --output json}. */
    public ObjectNode toJson() {
        ObjectNode json = BatchJson.mapper().createObjectNode();
        json.put("jobId", jobId);
        json.put("poolId", poolId);
        json.put("total", total);
        json.put("succeeded", succeeded);
        json.put("failed", failed);
        json.put("incomplete", incomplete);
        json.put("retries", retries);
        json.put("requeues", requeues);
        json.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
        json.put("timedOut", timedOut);
        if (terminateReason != null) {
            json.put("terminateReason", terminateReason);
        }
        ArrayNode groups = json.putArray("failures");
        for (FailureGroup group : failures) {
            ObjectNode item = groups.addObject();
            if (group.exitCode() == null) {
                item.putNull("exitCode");
            } else {
                item.put("exitCode", group.exitCode());
            }
            if (group.failureCode() == null) {
                item.putNull("failureCode");
            } else {
                item.put("failureCode", group.failureCode());
            }
            item.put("count", group.count());
            group.taskIds().forEach(item.putArray("taskIds")::add);
        }
        ArrayNode slow = json.putArray("slowest");
        for (SlowTask task : slowest) {
            slow.addObject().put("taskId", task.taskId()).put("seconds", task.duration().toMillis() / 1000.0);
        }
        json.put("exitCode", exitCode());
        return json;
    }

    private static void table(PrintWriter out, List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int column = 0; column < columns; column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int column = 0; column < columns; column++) {
                line.append(' ').append(column == columns - 1 ? row.get(column)
                        : String.format("%-" + widths[column] + "s ", row.get(column)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
