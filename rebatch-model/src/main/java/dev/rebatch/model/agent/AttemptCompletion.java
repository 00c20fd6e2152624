package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.task.TaskFailureInformation;
import java.time.Instant;
import java.util.Objects;

/**
 * One completion in a batch of completion reports: the attempt ({@code jobId}, {@code taskId}, {@code epoch}) and how
 * it ended, with the fields of {@link AttemptCompleted}.
 */
public record AttemptCompletion(
        @JsonProperty("jobId") String jobId,
        @JsonProperty("taskId") String taskId,
        @JsonProperty("epoch") long epoch,
        @JsonProperty("exitCode") Integer exitCode,
        @JsonProperty("failureInfo") TaskFailureInformation failureInfo,
        @JsonProperty("startTime") Instant startTime,
        @JsonProperty("endTime") Instant endTime) {

    public AttemptCompletion {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(taskId, "taskId");
        if (exitCode == null && failureInfo == null) {
            throw new IllegalArgumentException("A completion needs an exit code or a failureInfo");
        }
    }

    /** The completion of the attempt of {@code jobId}/{@code taskId} that {@code report} describes. */
    public static AttemptCompletion of(String jobId, String taskId, AttemptCompleted report) {
        return new AttemptCompletion(jobId, taskId, report.epoch(), report.exitCode(), report.failureInfo(),
                report.startTime(), report.endTime());
    }
}
