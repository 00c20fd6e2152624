package dev.rebatch.server.api.jobs;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.http.BatchException;

/**
 * Which job operations each state allows, and the 409 each refusal carries (Batch error codes). Tasks do not run
 * yet, so the transitional states (disabling, enabling, terminating) complete at once; the checks still name
 * them so that work in progress is refused correctly once execution arrives.
 */
final class JobRules {

    private JobRules() {}

    /** Update, patch: any state but completed or being deleted/terminated. */
    static void requireChangeable(JobState state) {
        switch (state) {
            case COMPLETED -> throw conflict(BatchErrorCode.JobCompleted, "The specified job is already in a completed state.");
            case DELETING -> throw beingDeleted();
            case TERMINATING -> throw conflict(BatchErrorCode.JobBeingTerminated, "The specified job is being terminated.");
            default -> { }
        }
    }

    static void requireDisableable(JobState state) {
        requireChangeable(state);
        if (state != JobState.ACTIVE) {
            throw conflict(BatchErrorCode.JobNotActive, "The specified job is not in an active state.");
        }
    }

    static void requireEnableable(JobState state) {
        requireChangeable(state);
        if (state != JobState.DISABLED) {
            throw conflict(BatchErrorCode.OperationInvalidForCurrentState,
                    "The specified job is not disabled, so it cannot be enabled.");
        }
    }

    static void requireTerminable(JobState state) {
        requireChangeable(state);
    }

    static void requireDeletable(JobState state) {
        if (state == JobState.DELETING) {
            throw beingDeleted();
        }
    }

    static BatchException beingDeleted() {
        return conflict(BatchErrorCode.JobBeingDeleted, "The specified job has been marked for deletion and is being garbage collected.");
    }

    private static BatchException conflict(BatchErrorCode code, String message) {
        return new BatchException(code, message);
    }
}
