package dev.rebatch.cli.run;

import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.server.api.BatchIds;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks each task as the service would when it is added, before anything is sent: a valid id that no other task
 * has, a command line, and retry and slot counts in range.
 */
final class TaskChecks {

    private final JobFileErrors errors;

    TaskChecks(JobFileErrors errors) {
        this.errors = errors;
    }

    void check(List<TaskInFile> tasks) throws JobFileException {
        Map<String, TaskInFile> byId = new HashMap<>();
        for (TaskInFile entry : tasks) {
            TaskSpec task = entry.task();
            if (task.id() == null) {
                throw errors.at(entry.origin(), "the task has no \"id\"");
            }
            if (!BatchIds.isValid(task.id())) {
                throw errors.invalidId(entry.idPath(), task.id(), "task id",
                        entry.i() == null ? "" : " (the id for i = " + entry.i() + ")");
            }
            if (task.commandLine() == null) {
                throw errors.at(entry.origin(), "the task has no \"commandLine\"");
            }
            if (task.commandLine().isBlank()) {
                throw errors.at(entry.origin().property("commandLine"), "the command line is blank");
            }
            // The service compares ids ignoring case, so FRAME-2 would be refused next to frame-2.
            TaskInFile earlier = byId.putIfAbsent(task.id().toLowerCase(Locale.ROOT), entry);
            if (earlier != null) {
                throw errors.at(entry.idPath(), "the task id " + task.id() + " is taken: " + earlier.describe()
                        + " has it too (ids are compared ignoring case)");
            }
            checkCounts(entry);
        }
    }

    private void checkCounts(TaskInFile entry) throws JobFileException {
        TaskSpec task = entry.task();
        if (task.constraints() != null && task.constraints().maxTaskRetryCount() != null
                && task.constraints().maxTaskRetryCount() < -1) {
            throw errors.at(entry.origin().property("constraints").property("maxTaskRetryCount"),
                    "must be -1 (no limit) or more, was " + task.constraints().maxTaskRetryCount());
        }
        if (task.requiredSlots() != null && task.requiredSlots() < 1) {
            throw errors.at(entry.origin().property("requiredSlots"), "must be at least 1, was "
                    + task.requiredSlots());
        }
    }
}
