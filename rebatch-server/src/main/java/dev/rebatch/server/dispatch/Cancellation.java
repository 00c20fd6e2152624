package dev.rebatch.server.dispatch;

/**
 * An attempt its node must stop, and why.
 *
 * @param reason one of the {@code REASON_} constants: what ended the attempt's lease
 */
public record Cancellation(String jobId, String taskId, long epoch, String reason) {

    /** Task_Terminate, or the task otherwise completed without this attempt's report (node disabled, rebooted). */
    public static final String TERMINATE_TASK = "TerminateTask";
    /** Task_Delete. */
    public static final String DELETE_TASK = "DeleteTask";
    /** Job_Terminate: the job is terminating or completed. */
    public static final String TERMINATE_JOB = "TerminateJob";
    /** Job_Disable with disableTasks requeue or terminate. */
    public static final String DISABLE_JOB = "DisableJob";
    /** Job_Delete: the job is being deleted, or is gone. */
    public static final String DELETE_JOB = "DeleteJob";
    /**
     * The lease is no longer this attempt's: the task was requeued (its lease expired, or its node was disabled or
     * rebooted with requeue) and may run elsewhere under a newer epoch.
     */
    public static final String LEASE_LOST = "LeaseLost";
}
