package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An attempt the node must stop; the service no longer accepts reports on it.
 *
 * @param reason why: {@code TerminateTask}, {@code DeleteTask}, {@code TerminateJob}, {@code DeleteJob},
 *               {@code DisableJob} or {@code LeaseLost} (see the constants)
 */
public record Cancellation(
        @JsonProperty("jobId") String jobId,
        @JsonProperty("taskId") String taskId,
        @JsonProperty("epoch") long epoch,
        @JsonProperty("reason") String reason) {

    public static final String TERMINATE_TASK = "TerminateTask";
    public static final String DELETE_TASK = "DeleteTask";
    public static final String TERMINATE_JOB = "TerminateJob";
    public static final String DELETE_JOB = "DeleteJob";
    public static final String DISABLE_JOB = "DisableJob";
    public static final String LEASE_LOST = "LeaseLost";

    public HeldAttempt attempt() {
        return new HeldAttempt(jobId, taskId, epoch);
    }
}
