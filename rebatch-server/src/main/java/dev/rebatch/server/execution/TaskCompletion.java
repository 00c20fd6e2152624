package dev.rebatch.server.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What happens to a task when an attempt ends, when it is requeued, terminated or reactivated: pure functions from
 * the stored task document (and its job's) to the new document, state and consequences, which the caller persists.
 * Inputs are never changed; every decision carries a new document.
 *
 * <p>The rules, from the spec (TaskConstraints, TaskExecutionInformation, ExitConditions, ExitOptions, OnTaskFailure;
 * wire-notes 5.1 and 5.2):
 * <ul>
 *   <li>Only a non-zero exit code of the program is retried, up to maxTaskRetryCount (the task's constraints, else
 *       the job's, else 0; -1 without limit): "3 means up to 4 tries". Pre-processing errors (the program could not
 *       start: CommandProgramNotFound, CommandLaunchFailed, resource files) and file upload errors are not retried.
 *       Neither is a task the service ended at maxWallClockTime (failureInfo TaskEnded): the retry limit "controls
 *       the number of retries for the Task executable due to a nonzero exit code", and a task ended by the service
 *       did not exit on its own (Rebatch's reading; no document says it either way).</li>
 *   <li>A retry sends the task back to {@code active} with retryCount + 1 and lastRetryTime; the failed attempt's
 *       endTime, exitCode, result and failureInfo go ("set only if the Task is in the completed state").</li>
 *   <li>Otherwise the task is {@code completed}: result success when it exited 0 with no failure, else failure
 *       with a failureInfo (FailureExitCode for a plain non-zero exit).</li>
 *   <li>The exit options of the condition it completed with ({@link ExitConditions#resolve}) give the dependency
 *       action, and the job action when the job's onTaskFailure is {@code performexitoptionsjobaction}.</li>
 * </ul>
 */
public final class TaskCompletion {

    /** The job's terminateReason when a task's job action terminates it (spec JobExecutionInformation). */
    public static final String TASK_FAILED = "TaskFailed";
    public static final String ACTIVE = "active";
    public static final String COMPLETED = "completed";
    private static final String PERFORM_EXIT_OPTIONS_JOB_ACTION = "performexitoptionsjobaction";
    /** What only a completed task shows (spec TaskExecutionInformation). */
    private static final List<String> COMPLETION_PROPERTIES = List.of("endTime", "exitCode", "result", "failureInfo");

    private TaskCompletion() {}

    /** The task after an attempt ended with {@code outcome}; {@code now} is when the decision is made. */
    public static Decision decide(ObjectNode task, ObjectNode job, AttemptOutcome outcome, Instant now) {
        ObjectNode document = task.deepCopy();
        ObjectNode execution = executionInfo(document);
        if (outcome.startTime() != null) {
            execution.put("startTime", Timestamps.iso(outcome.startTime()));
        }
        int retries = execution.path("retryCount").asInt(0);
        if (isRetriable(outcome) && retryAllowed(retries, maxTaskRetryCount(task, job))) {
            execution.put("retryCount", retries + 1);
            // Batch means the time the retry started running; the retry is queued now and TaskStart moves this
            // to its start when it starts.
            execution.put("lastRetryTime", Timestamps.iso(now));
            execution.remove(COMPLETION_PROPERTIES);
            return new Decision(document, ACTIVE, JobAction.NONE, null);
        }
        FailureInfo failure = outcome.failureInfo();
        if (failure == null && outcome.exitCode() != 0) {
            failure = FailureInfo.failureExitCode();
        }
        complete(execution, outcome.endTime(), outcome.exitCode(), failure);
        ExitOptions actions = ExitConditions.of(task.get("exitConditions")).resolve(outcome.exitCode(), failure);
        JobAction jobAction = PERFORM_EXIT_OPTIONS_JOB_ACTION.equals(job.path("onTaskFailure").asText())
                ? actions.jobAction() : JobAction.NONE;
        return new Decision(document, COMPLETED, jobAction, actions.dependencyAction());
    }

    /**
     * The task after its attempt was lost to the infrastructure (lease expired, node lost or rebooted): back to
     * {@code active} to run again, requeueCount + 1 and lastRequeueTime, retryCount unchanged because the program
     * did not fail. Batch counts user-requested requeues here (pool shrink, job disable with requeue); Rebatch
     * counts these too, as they are the same move seen from the task.
     */
    public static Decision requeue(ObjectNode task, Instant now) {
        ObjectNode document = task.deepCopy();
        ObjectNode execution = executionInfo(document);
        execution.put("requeueCount", execution.path("requeueCount").asInt(0) + 1);
        execution.put("lastRequeueTime", Timestamps.iso(now));
        execution.remove(COMPLETION_PROPERTIES);
        return new Decision(document, ACTIVE, JobAction.NONE, null);
    }

    /**
     * The task after a terminate request (Task_Terminate, or Job_Terminate ending its tasks): completed with result
     * failure and failureInfo TaskEnded ("Batch Status and Error Codes": TaskEnded, UserError, "Task was ended by
     * user request"). Its dependents follow its exit options for a failure without an exit code ({@code default}).
     * A terminate the user asked for takes no job action: the job action answers a task failing, and Rebatch does not
     * read a deliberate terminate as one (no document says Batch does).
     */
    public static Decision terminate(ObjectNode task, Instant now) {
        ObjectNode document = task.deepCopy();
        ObjectNode execution = executionInfo(document);
        Integer exitCode = execution.path("exitCode").canConvertToInt() ? execution.get("exitCode").asInt() : null;
        FailureInfo failure = FailureInfo.endedByUser();
        complete(execution, now, exitCode, failure);
        ExitOptions actions = ExitConditions.of(task.get("exitConditions")).resolve(exitCode, failure);
        return new Decision(document, COMPLETED, JobAction.NONE, actions.dependencyAction());
    }

    /**
     * The task after Task_Reactivate: active, retryCount 0, and nothing of its last completion ("any previous exit
     * code or failure information is no longer available after reactivation").
     */
    public static Decision reactivate(ObjectNode task) {
        ObjectNode document = task.deepCopy();
        ObjectNode execution = executionInfo(document);
        execution.put("retryCount", 0);
        execution.remove(COMPLETION_PROPERTIES);
        execution.remove("lastRetryTime"); // "present only if the Task was retried (i.e. retryCount is nonzero)"
        return new Decision(document, ACTIVE, JobAction.NONE, null);
    }

    /**
     * How many times the task may be retried: its own constraints.maxTaskRetryCount, else its job's, else 0; -1
     * means without limit. Taken per property, so a task whose constraints set only maxWallClockTime keeps the
     * job's retry count (the spec names the job's value for a task without constraints and is silent on partial
     * ones).
     */
    public static int maxTaskRetryCount(ObjectNode task, ObjectNode job) {
        JsonNode own = task.path("constraints").path("maxTaskRetryCount");
        if (own.canConvertToInt()) {
            return own.asInt();
        }
        JsonNode inherited = job.path("constraints").path("maxTaskRetryCount");
        return inherited.canConvertToInt() ? inherited.asInt() : 0;
    }

    /**
     * What a completed task means for its dependents, from its stored document: the exit options of the condition
     * it completed with. The same rule {@link #decide} applied when it completed, so a dependent added later sees
     * what the ones waiting at the time saw.
     */
    public static DependencyAction dependencyAction(ObjectNode completedTask) {
        JsonNode execution = completedTask.path("executionInfo");
        Integer exitCode = execution.path("exitCode").canConvertToInt() ? execution.get("exitCode").asInt() : null;
        return ExitConditions.of(completedTask.get("exitConditions"))
                .resolve(exitCode, FailureInfo.fromJson(execution.get("failureInfo"))).dependencyAction();
    }

    /** Only the program's own non-zero exit is retried; failures around it are final. */
    private static boolean isRetriable(AttemptOutcome outcome) {
        return !outcome.preProcessingError() && outcome.exitCode() != null && outcome.exitCode() != 0
                && (outcome.failureInfo() == null || FailureInfo.FAILURE_EXIT_CODE.equals(outcome.failureInfo().code()));
    }

    private static boolean retryAllowed(int retriesSoFar, int maxTaskRetryCount) {
        return maxTaskRetryCount < 0 || retriesSoFar < maxTaskRetryCount;
    }

    private static void complete(ObjectNode execution, Instant endTime, Integer exitCode, FailureInfo failure) {
        execution.put("endTime", Timestamps.iso(endTime));
        if (exitCode != null) {
            execution.put("exitCode", exitCode);
        } else {
            execution.remove("exitCode");
        }
        if (failure != null) {
            execution.set("failureInfo", failure.toJson());
            execution.put("result", "failure");
        } else {
            execution.remove("failureInfo");
            execution.put("result", "success");
        }
    }

    /** The document's executionInfo, with the two counts the spec requires present. */
    private static ObjectNode executionInfo(ObjectNode document) {
        ObjectNode execution = document.withObjectProperty("executionInfo");
        if (!execution.has("retryCount")) {
            execution.put("retryCount", 0);
        }
        if (!execution.has("requeueCount")) {
            execution.put("requeueCount", 0);
        }
        return execution;
    }

    /**
     * A task's next document and state, and what its change means beyond it.
     *
     * @param task             the new task document (the wire shape, as stored)
     * @param state            {@link #ACTIVE} (to run again) or {@link #COMPLETED}
     * @param jobAction        what to do to the job: {@link JobAction#NONE} unless the task completed and the job's
     *                         onTaskFailure is performexitoptionsjobaction
     * @param dependencyAction what the completion means for dependents; null when the task is not completed (its
     *                         dependents keep waiting)
     */
    public record Decision(ObjectNode task, String state, JobAction jobAction, DependencyAction dependencyAction) {

        public Decision {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(jobAction, "jobAction");
            if (!ACTIVE.equals(state) && !COMPLETED.equals(state)) {
                throw new IllegalArgumentException("state " + state);
            }
            if (COMPLETED.equals(state) != (dependencyAction != null)) {
                throw new IllegalArgumentException("a completed task, and only one, has a dependency action");
            }
        }

        public boolean completed() {
            return COMPLETED.equals(state);
        }

        /** The exit code the task completed with, for the store's column; null while active or when it never ran. */
        public Integer exitCode() {
            JsonNode code = task.path("executionInfo").path("exitCode");
            return code.canConvertToInt() ? code.asInt() : null;
        }

        /** "success" or "failure" once completed, for the store's column; null while active. */
        public String result() {
            JsonNode result = task.path("executionInfo").path("result");
            return result.isTextual() ? result.asText() : null;
        }
    }
}
