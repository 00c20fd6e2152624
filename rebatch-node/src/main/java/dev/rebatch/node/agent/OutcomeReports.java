package dev.rebatch.node.agent;

import dev.rebatch.model.agent.AttemptCompleted;
import dev.rebatch.model.common.ErrorCategory;
import dev.rebatch.model.common.NameValuePair;
import dev.rebatch.model.task.TaskFailureInformation;
import dev.rebatch.node.exec.FailureInfo;
import dev.rebatch.node.exec.TaskOutcome;
import java.time.Instant;
import java.util.List;

/** Turns what the execution core says about an attempt into the protocol's completion report. */
final class OutcomeReports {

    /** The failure of a task the node could not even read (a duration Java cannot parse, no command line). */
    static final String TASK_UNREADABLE = "CommandLaunchFailed";

    private OutcomeReports() {}

    static AttemptCompleted completed(long epoch, TaskOutcome outcome) {
        return new AttemptCompleted(epoch, outcome.exitCode(), failure(outcome.failureInfo()), outcome.startTime(),
                outcome.endTime());
    }

    /** A task that could not be turned into a launch: no process ran; it is the task's fault. */
    static AttemptCompleted unreadable(long epoch, String why, Instant now) {
        return new AttemptCompleted(epoch, null, new TaskFailureInformation(ErrorCategory.USER_ERROR, TASK_UNREADABLE,
                "Failed to launch the specified command line.", List.of(new NameValuePair("Message", why))), now, now);
    }

    static TaskFailureInformation failure(FailureInfo failure) {
        if (failure == null) {
            return null;
        }
        ErrorCategory category = switch (failure.category()) {
            case USER_ERROR -> ErrorCategory.USER_ERROR;
            case SERVER_ERROR -> ErrorCategory.SERVER_ERROR;
        };
        List<NameValuePair> details = failure.details().isEmpty() ? null : failure.details().stream()
                .map(detail -> new NameValuePair(detail.name(), detail.value())).toList();
        return new TaskFailureInformation(category, failure.code(), failure.message(), details);
    }
}
