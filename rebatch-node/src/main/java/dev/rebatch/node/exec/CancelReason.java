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
    DISABLE_JOB("DisableJob"),
    /**
     * The node no longer holds the task's lease (it was requeued, the node was rebooted, or the node left or lost its
     * pool): the task may already run elsewhere. Nobody is told how this attempt ended.
     */
    LEASE_LOST("LeaseLost"),
    /** The agent is stopping; the service requeues the task (at once when the node leaves, else when its lease lapses). */
    NODE_STOPPING("NodeStopping");

    private final String detail;

    CancelReason(String detail) {
        this.detail = detail;
    }

    /**
     * The reason a cancellation of the node-agent protocol names ({@code TerminateTask}, {@code LeaseLost}...); one
     * this node does not know is {@link #LEASE_LOST}, the attempt being no longer the node's either way.
     */
    public static CancelReason fromWire(String reason) {
        for (CancelReason value : values()) {
            if (value.detail.equalsIgnoreCase(reason)) {
                return value;
            }
        }
        return LEASE_LOST;
    }

    /** The value of the failureInfo detail {@code Reason}. */
    public String detail() {
        return detail;
    }
}
