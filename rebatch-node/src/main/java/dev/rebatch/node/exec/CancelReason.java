package dev.rebatch.node.exec;

/**
 * Why the service wants a running task ended. Each ends the task with failureInfo {@code TaskEnded}, the code Batch
 * documents for "Task was ended by user request."; the reason travels as a detail so that the service can tell them
 * apart.
 */
public enum CancelReason {
    /** Task_Terminate. */
    TERMINATE_TASK("TerminateTask"),
    /** Task_Delete of a running task. */
    DELETE_TASK("DeleteTask"),
    /** Job_Terminate, or a job ended by its own constraints or onAllTasksComplete. */
    TERMINATE_JOB("TerminateJob"),
    /** Job_Delete. */
    DELETE_JOB("DeleteJob"),
    /** Job_Disable with disableTasks = terminate. */
    DISABLE_JOB("DisableJob");

    private final String detail;

    CancelReason(String detail) {
        this.detail = detail;
    }

    /** The value of the failureInfo detail {@code Reason}. */
    public String detail() {
        return detail;
    }
}
