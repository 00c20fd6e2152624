package dev.rebatch.server.dispatch;

import dev.rebatch.server.store.StoredResource;

/**
 * What a completed task may do to its job: the exit options' job action ({@link
 * dev.rebatch.server.execution.JobAction}), and the job's onAllTasksComplete. Carried out by the job operations, which
 * own the job's state transitions.
 */
public interface JobActions {

    /** Does nothing: for services and tests with no job operations. */
    JobActions NONE = new JobActions() {
        @Override
        public void terminate(StoredResource job, String reason) {}

        @Override
        public void disable(StoredResource job) {}

        @Override
        public void taskCompleted(StoredResource job) {}
    };

    /** Terminates the job as Job_Terminate does, with {@code reason} as its terminateReason. */
    void terminate(StoredResource job, String reason);

    /** Disables the job as Job_Disable with disableTasks {@code requeue} does (the spec's jobAction disable). */
    void disable(StoredResource job);

    /**
     * A task of {@code job} completed (or was removed): if the job's onAllTasksComplete is terminatejob and none of
     * its tasks is left to run, the job is terminated with terminateReason AllTasksComplete.
     */
    void taskCompleted(StoredResource job);
}
