package dev.rebatch.server.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A job's onAllTasksComplete: with {@code terminatejob}, the service terminates the job once all its tasks are
 * completed, with terminateReason {@value #TERMINATE_REASON} (spec OnAllTasksComplete and
 * JobExecutionInformation.terminateReason).
 */
public final class AllTasksComplete {

    public static final String TERMINATE_REASON = "AllTasksComplete";
    /** The onAllTasksComplete value that terminates the job. */
    public static final String TERMINATE_JOB = "terminatejob";
    /**
     * The states a job ends from this way. Not disabling or enabling (the job is between states; the check comes
     * again when it settles), and not terminating, completed or deleting (it is already ending). A disabled job
     * whose tasks are all completed has nothing left either.
     */
    private static final Set<String> SETTLED_STATES = Set.of("active", "disabled");

    private AllTasksComplete() {}

    /**
     * Whether the job should now be terminated with {@link #TERMINATE_REASON}. A job without tasks counts as having
     * all of them complete ("if a Job contains no Tasks, then all Tasks are considered complete", spec
     * JobAddParameter.onAllTasksComplete), which is why Batch advises setting terminatejob after the tasks are added.
     * A job with a jobManagerTask is left alone: in Batch the manager is one of the job's tasks, and Rebatch does
     * not run job managers yet, so it cannot tell whether the manager is still adding tasks.
     *
     * @param jobState the job's state as on the wire ("active"...)
     */
    public static boolean shouldTerminate(String jobState, ObjectNode job, TaskCounts counts) {
        return TERMINATE_JOB.equals(job.path("onAllTasksComplete").asText())
                && SETTLED_STATES.contains(jobState)
                && !job.path("jobManagerTask").isObject()
                && counts.allCompleted();
    }
}
