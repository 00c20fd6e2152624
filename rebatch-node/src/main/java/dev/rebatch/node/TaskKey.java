package dev.rebatch.node;

import java.util.regex.Pattern;

/**
 * Which task: its job id and task id, as the service stores them. Both become directory names, so both must be Batch
 * ids (letters, digits, hyphens and underscores, 1 to 64 characters); anything else could climb out of the node's
 * directories and is refused here rather than trusted.
 *
 * <p>Batch ids are case-insensitive but case-preserving: pass them as stored, not as a caller spelled them, or the
 * same task gets a second directory on a case-sensitive file system.
 */
public record TaskKey(String jobId, String taskId) {

    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public TaskKey {
        requireBatchId("jobId", jobId);
        requireBatchId("taskId", taskId);
    }

    private static void requireBatchId(String name, String id) {
        if (id == null || !BATCH_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(name + " must be a Batch id (letters, digits, hyphens and underscores,"
                    + " 1 to 64 characters): " + id);
        }
    }

    @Override
    public String toString() {
        return jobId + "/" + taskId;
    }
}
