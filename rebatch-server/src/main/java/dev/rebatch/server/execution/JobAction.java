package dev.rebatch.server.execution;

import java.util.Locale;

/**
 * What a task's completion does to its job (spec ExitOptions.jobAction). It is acted on only when the job's
 * onTaskFailure is {@code performexitoptionsjobaction}; {@link TaskCompletion} returns {@link #NONE} otherwise.
 */
public enum JobAction {
    NONE,
    /** Disable the job as Job_Disable with disableTasks {@code requeue} would. */
    DISABLE,
    /** Terminate the job with terminateReason {@link TaskCompletion#TASK_FAILED}. */
    TERMINATE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobAction fromWire(String action) {
        return valueOf(action.toUpperCase(Locale.ROOT));
    }
}
