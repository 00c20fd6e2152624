package dev.rebatch.node.exec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * Why a task attempt failed (spec TaskFailureInformation), ready to be put in the task's executionInfo.
 *
 * <p>Codes, categories and messages are those of the Batch table of task scheduling error codes ("Batch Status and
 * Error Codes") where it has them; the wall-clock message and {@code FailureExitCode} are not in that table, see
 * each factory.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FailureInfo(
        @JsonProperty("category") ErrorCategory category,
        @JsonProperty("code") String code,
        @JsonProperty("message") String message,
        @JsonProperty("details") List<NameValuePair> details) {

    public static final String COMMAND_PROGRAM_NOT_FOUND = "CommandProgramNotFound";
    public static final String COMMAND_LAUNCH_FAILED = "CommandLaunchFailed";
    public static final String TASK_ENDED = "TaskEnded";
    public static final String RESOURCE_DIRECTORY_CREATE_FAILED = "ResourceDirectoryCreateFailed";
    public static final String FAILURE_EXIT_CODE = "FailureExitCode";

    public FailureInfo {
        details = details == null ? List.of() : List.copyOf(details);
    }

    /** The program does not exist, or is not an executable file. */
    static FailureInfo programNotFound(String why) {
        return new FailureInfo(ErrorCategory.USER_ERROR, COMMAND_PROGRAM_NOT_FOUND,
                "The specified command program is not found.", List.of(new NameValuePair("Message", why)));
    }

    /** The command line could not be started for another reason: unbalanced quotes, arguments too long, ... */
    static FailureInfo launchFailed(String why) {
        return new FailureInfo(ErrorCategory.USER_ERROR, COMMAND_LAUNCH_FAILED,
                "Failed to launch the specified command line.", List.of(new NameValuePair("Message", why)));
    }

    /**
     * The task directory or its working directory could not be made. The working directory is where Batch puts a
     * task's resource files, so this is Batch's ResourceDirectoryCreateFailed, a server error: the node is at fault.
     */
    static FailureInfo directoryCreateFailed(String why) {
        return new FailureInfo(ErrorCategory.SERVER_ERROR, RESOURCE_DIRECTORY_CREATE_FAILED,
                "Failure encountered creating resource directory for the task.",
                List.of(new NameValuePair("Message", why)));
    }

    /** The service ended the task: Batch's documented TaskEnded wording, with the reason as a detail. */
    static FailureInfo cancelled(CancelReason reason) {
        return new FailureInfo(ErrorCategory.USER_ERROR, TASK_ENDED, "Task was ended by user request.",
                List.of(new NameValuePair("Reason", reason.detail())));
    }

    /**
     * The task ran past its maxWallClockTime and the node ended it. Batch documents that the service "terminates the
     * task" but not the failure's wording; the code is TaskEnded, the message and details are Rebatch's own (the
     * reason borrows the job-level terminate reason MaxWallClockTimeExpiry).
     */
    static FailureInfo wallClockExceeded(Duration maxWallClockTime) {
        return new FailureInfo(ErrorCategory.USER_ERROR, TASK_ENDED,
                "The task ran longer than its maxWallClockTime constraint and was ended.",
                List.of(new NameValuePair("Reason", "MaxWallClockTimeExpiry"),
                        new NameValuePair("MaxWallClockTime", maxWallClockTime.toString())));
    }

    /**
     * The program exited with a non-zero code. Not in the documented table, but what Batch reports (the code
     * FailureExitCode is seen in the wild, e.g. microsoft/ga4gh-tes PR #705); a service that still retries the task
     * drops it.
     */
    static FailureInfo failureExitCode(int exitCode) {
        return new FailureInfo(ErrorCategory.USER_ERROR, FAILURE_EXIT_CODE,
                "The task exited with an exit code representing a failure",
                List.of(new NameValuePair("Message", "The task process exited with an unexpected exit code"),
                        new NameValuePair("AdditionalErrorCode", FAILURE_EXIT_CODE),
                        new NameValuePair("ExitCode", Integer.toString(exitCode))));
    }
}
