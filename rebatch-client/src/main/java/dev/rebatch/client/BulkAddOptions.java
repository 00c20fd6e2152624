package dev.rebatch.client;

import java.util.Objects;

/**
 * How {@link TaskOperations#addTasks} sends tasks.
 *
 * @param parallelism        how many add-collection requests run at once
 * @param maxTasksPerRequest at most this many tasks per request (Batch allows 100)
 * @param maxRequestBytes    each request's body stays under this many bytes (Batch allows 1 MB); a request the
 *                           service still finds too large is halved
 * @param requestOptions     the retry policy, deadline and attempt timeout of each request
 */
public record BulkAddOptions(int parallelism, int maxTasksPerRequest, int maxRequestBytes,
        RequestOptions requestOptions) {

    public static final int BATCH_MAX_TASKS = 100;
    public static final int BATCH_MAX_BYTES = 1024 * 1024;
    public static final BulkAddOptions DEFAULTS = new BulkAddOptions(4, BATCH_MAX_TASKS, BATCH_MAX_BYTES,
            RequestOptions.DEFAULTS);

    public BulkAddOptions {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        if (maxTasksPerRequest < 1 || maxTasksPerRequest > BATCH_MAX_TASKS) {
            throw new IllegalArgumentException("maxTasksPerRequest must be 1 to 100, was " + maxTasksPerRequest);
        }
        if (maxRequestBytes < 1024 || maxRequestBytes > BATCH_MAX_BYTES) {
            throw new IllegalArgumentException("maxRequestBytes must be 1 KiB to 1 MiB, was " + maxRequestBytes);
        }
        Objects.requireNonNull(requestOptions, "requestOptions");
    }

    public BulkAddOptions withParallelism(int newParallelism) {
        return new BulkAddOptions(newParallelism, maxTasksPerRequest, maxRequestBytes, requestOptions);
    }

    public BulkAddOptions withMaxTasksPerRequest(int newMax) {
        return new BulkAddOptions(parallelism, newMax, maxRequestBytes, requestOptions);
    }

    public BulkAddOptions withMaxRequestBytes(int newMax) {
        return new BulkAddOptions(parallelism, maxTasksPerRequest, newMax, requestOptions);
    }

    public BulkAddOptions withRequestOptions(RequestOptions newOptions) {
        return new BulkAddOptions(parallelism, maxTasksPerRequest, maxRequestBytes, newOptions);
    }
}
