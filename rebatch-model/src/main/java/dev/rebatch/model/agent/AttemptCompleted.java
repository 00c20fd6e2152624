package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.task.TaskFailureInformation;
import java.time.Instant;

/**
 * The body of a completion report: how the attempt under {@code epoch} ended. One of {@code exitCode} and
 * {@code failureInfo} is required: the exit code when a process ran, failureInfo when none did or it failed besides
 * its exit code.
 *
 * @param exitCode    the process's exit code, or {@code null} when no process ran
 * @param failureInfo why the attempt failed, or {@code null} when it succeeded
 * @param startTime   when the node began the attempt (informational: the service keeps its own times)
 * @param endTime     when the attempt ended (informational)
 */
public record AttemptCompleted(
        @JsonProperty("epoch") long epoch,
        @JsonProperty("exitCode") Integer exitCode,
        @JsonProperty("failureInfo") TaskFailureInformation failureInfo,
        @JsonProperty("startTime") Instant startTime,
        @JsonProperty("endTime") Instant endTime) {

    public AttemptCompleted {
        if (exitCode == null && failureInfo == null) {
            throw new IllegalArgumentException("A completion needs an exit code or a failureInfo");
        }
    }
}
