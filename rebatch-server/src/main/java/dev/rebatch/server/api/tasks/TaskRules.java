package dev.rebatch.server.api.tasks;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.jobs.JobState;
import dev.rebatch.server.http.BatchException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Which task operations each task and job state allows, and the 409 each refusal carries. */
final class TaskRules {

    private TaskRules() {}

    /** The job states {@link #requireJobAcceptsTasks} lets through, in their wire spelling. */
    static final Set<String> JOB_STATES_ACCEPTING_TASKS = Arrays.stream(JobState.values())
            .filter(TaskRules::acceptsTasks).map(JobState::wire).collect(Collectors.toUnmodifiableSet());

    /** Tasks may be added to active and disabled jobs (disabled jobs keep them until enabled). */
    static void requireJobAcceptsTasks(JobState job) {
        switch (job) {
            case COMPLETED -> throw new BatchException(BatchErrorCode.JobCompleted,
                    "The specified job is already in a completed state.");
            case TERMINATING -> throw new BatchException(BatchErrorCode.JobBeingTerminated,
                    "The specified job is being terminated.");
            case DELETING -> throw new BatchException(BatchErrorCode.JobBeingDeleted,
                    "The specified job has been marked for deletion and is being garbage collected.");
            default -> { }
        }
    }

    private static boolean acceptsTasks(JobState job) {
        return job != JobState.COMPLETED && job != JobState.TERMINATING && job != JobState.DELETING;
    }

    static void requireNotCompleted(TaskState task) {
        if (task == TaskState.COMPLETED) {
            throw new BatchException(BatchErrorCode.TaskCompleted, "The specified task is already completed.");
        }
    }

    /** Reactivation is for a task that completed with a failure. */
    static void requireReactivatable(TaskState task, String result) {
        if (task != TaskState.COMPLETED) {
            throw new BatchException(BatchErrorCode.TaskNotCompleted, "The specified task is not completed.");
        }
        if ("success".equals(result)) {
            throw new BatchException(BatchErrorCode.TaskSucceeded,
                    "The specified task completed successfully and cannot be reactivated.");
        }
    }
}
