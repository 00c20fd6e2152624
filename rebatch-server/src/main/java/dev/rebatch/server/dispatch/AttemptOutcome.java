package dev.rebatch.server.dispatch;

import dev.rebatch.server.execution.FailureInfo;
import java.time.Instant;

/**
 * How one attempt of a task ended, as its node reported it.
 *
 * @param exitCode    the process's exit code, or {@code null} when no process ran (a launch failure) or the node
 *                    ended it without learning one
 * @param failureInfo the spec's TaskFailureInformation when the attempt failed before or besides its exit code, or
 *                    {@code null}
 * @param startTime   when the node says the attempt started, or {@code null}
 * @param endTime     when it says it ended, or {@code null}
 */
public record AttemptOutcome(Integer exitCode, FailureInfo failureInfo, Instant startTime, Instant endTime) {

    /** Exit code 0 and no failure. */
    public boolean succeeded() {
        return failureInfo == null && exitCode != null && exitCode == 0;
    }
}
