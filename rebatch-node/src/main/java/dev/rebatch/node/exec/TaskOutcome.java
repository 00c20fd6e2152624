package dev.rebatch.node.exec;

import dev.rebatch.node.TaskKey;
import java.time.Instant;
import java.util.Optional;

/**
 * How one attempt of a task ended: what the service needs for the task's executionInfo.
 *
 * @param task        which task
 * @param startTime   when the node began the attempt (directories, then the process)
 * @param endTime     when the attempt ended: the process and, when it was ended, its whole tree are gone
 * @param exitCode    the process's exit code; {@code null} when no process ran (Batch leaves exitCode unset when a task
 *                    fails before running). A process ended by a signal reports 128 + the signal (143 for SIGTERM,
 *                    137 for SIGKILL), the "operating system-defined exit code" the spec warns about.
 * @param failureInfo why the attempt failed, or {@code null} when it succeeded
 */
public record TaskOutcome(TaskKey task, Instant startTime, Instant endTime, Integer exitCode,
        FailureInfo failureInfo) {

    public TaskExecutionResult result() {
        return failureInfo == null ? TaskExecutionResult.SUCCESS : TaskExecutionResult.FAILURE;
    }

    public Optional<FailureInfo> failure() {
        return Optional.ofNullable(failureInfo);
    }
}
