package dev.rebatch.client;

/** {@link TaskOperations#waitForTasks} reached its deadline before every task completed. */
public final class WaitTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TaskCountsSnapshot last;

    WaitTimeoutException(String jobId, TaskCountsSnapshot last) {
        super("Tasks of job " + jobId + " were still not all complete after " + last.elapsed().toSeconds() + " s: "
                + last.active() + " active, " + last.running() + " running, " + last.completed() + " completed. "
                + "Wait longer, or list the active tasks to see what they wait for (dependencies, a disabled job, "
                + "a pool without nodes).");
        this.last = last;
    }

    /** The counts at the last poll. */
    public TaskCountsSnapshot last() {
        return last;
    }
}
