package dev.rebatch.client;

import java.util.List;

/** Every task's outcome of one {@link TaskOperations#addTasks}, in the order the tasks were given. */
public record BulkAddResult(List<TaskAddOutcome> outcomes) {

    public BulkAddResult {
        outcomes = List.copyOf(outcomes);
    }

    public long addedCount() {
        return outcomes.stream().filter(TaskAddOutcome::added).count();
    }

    /** The tasks that were not added, each with its error code and message. */
    public List<TaskAddOutcome> failures() {
        return outcomes.stream().filter(outcome -> !outcome.added()).toList();
    }

    public boolean allAdded() {
        return outcomes.stream().allMatch(TaskAddOutcome::added);
    }
}
