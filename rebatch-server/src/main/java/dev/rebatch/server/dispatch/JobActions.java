package dev.rebatch.server.dispatch;

import dev.rebatch.server.store.StoredResource;

/**
 * What a completed task may do to its job ({@link CompletionDecision.JobAction}): carried out by the job operations,
 * which own the job's state transitions.
 */
public interface JobActions {

    /** Does nothing: for services and tests with no job operations. */
    JobActions NONE = new JobActions() {
        @Override
        public void terminate(StoredResource job, String reason) {}

        @Override
        public void disable(StoredResource job) {}
    };

    /** Terminates the job as Job_Terminate does, with {@code reason} as its terminateReason. */
    void terminate(StoredResource job, String reason);

    /** Disables the job (its running tasks go on; no new task is granted). */
    void disable(StoredResource job);
}
