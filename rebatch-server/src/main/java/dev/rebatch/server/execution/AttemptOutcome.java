package dev.rebatch.server.execution;

import java.time.Instant;
import java.util.Objects;

/**
 * How one attempt at running a task ended, as a node agent reports it. Infrastructure failures (lease expired, node
 * lost or rebooted) are not outcomes: the attempt did not end, it vanished, and {@link TaskCompletion#requeue}
 * handles it.
 *
 * @param exitCode           the program's exit code; null when it never ran (a pre-processing error) or when the
 *                           service ended it without learning one
 * @param failureInfo        why the attempt failed beyond its exit code (pre-processing, upload, ended), or null;
 *                           a non-zero exit code alone needs none, {@link TaskCompletion} writes FailureExitCode
 * @param startTime          when the attempt started running (resource download included), or null if unknown
 * @param endTime            when it ended
 * @param preProcessingError whether the task could not be started at all (resource download, program not found,
 *                           launch failure): such attempts are not retried
 */
public record AttemptOutcome(Integer exitCode, FailureInfo failureInfo, Instant startTime, Instant endTime,
                             boolean preProcessingError) {

    public AttemptOutcome {
        Objects.requireNonNull(endTime, "endTime");
        if (preProcessingError && (exitCode != null || failureInfo == null)) {
            throw new IllegalArgumentException("a pre-processing error has a failureInfo and no exit code");
        }
        // Without an exit code the failure must say what happened; only the service ending a task may leave
        // both the exit code unknown and the error not a pre-processing one.
        if (!preProcessingError && exitCode == null && (failureInfo == null || !failureInfo.isTaskEnded())) {
            throw new IllegalArgumentException("an attempt that ran has an exit code, unless the service ended it");
        }
    }

    /** The program ran and exited with {@code exitCode}. */
    public static AttemptOutcome exited(int exitCode, Instant startTime, Instant endTime) {
        return new AttemptOutcome(exitCode, null, startTime, endTime, false);
    }

    /** The task could not be started: {@code failure} says why (e.g. {@link FailureInfo#commandProgramNotFound}). */
    public static AttemptOutcome preProcessingFailed(FailureInfo failure, Instant startTime, Instant endTime) {
        return new AttemptOutcome(null, failure, startTime, endTime, true);
    }

    /** The program exited with {@code exitCode}, then uploading its output files failed ({@code failure}). */
    public static AttemptOutcome fileUploadFailed(int exitCode, FailureInfo failure, Instant startTime, Instant endTime) {
        if (!failure.isFileUploadError()) {
            throw new IllegalArgumentException("not a file upload failure: " + failure.code());
        }
        return new AttemptOutcome(exitCode, failure, startTime, endTime, false);
    }

    /** The service ended the program because it ran past maxWallClockTime; {@code exitCode} may be unknown. */
    public static AttemptOutcome maxWallClockTimeExceeded(Integer exitCode, Instant startTime, Instant endTime) {
        return new AttemptOutcome(exitCode, FailureInfo.maxWallClockTimeExceeded(), startTime, endTime, false);
    }
}
