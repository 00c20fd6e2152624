package dev.rebatch.node;

/**
 * Which task: its job id and task id, as the service stores them. Both become directory names, so both must be Batch
 * ids (letters, digits, hyphens and underscores, 1 to 64 characters); anything else could climb out of the node's
 * directories and is refused here rather than trusted.
 *
 * <p>Batch ids are case-insensitive but case-preserving: pass them as stored, not as a caller spelled them, or the
 * same task gets a second directory on a case-sensitive file system.
 */
public record TaskKey(String jobId, String taskId) {

    private static final int MAX_ID_LENGTH = 64;

    public TaskKey {
        requireBatchId("jobId", jobId);
        requireBatchId("taskId", taskId);
    }

    private static void requireBatchId(String name, String id) {
        if (!isBatchId(id)) {
            throw new IllegalArgumentException(name + " must be a Batch id (letters, digits, hyphens and underscores,"
                    + " 1 to 64 characters): " + id);
        }
    }

    /** [A-Za-z0-9_-]{1,64}, checked without a regular expression: a node makes several keys per task it runs. */
    private static boolean isBatchId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return jobId + "/" + taskId;
    }
}
