package dev.rebatch.client;

import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.http.BatchRequest;
import dev.rebatch.client.http.BatchResponse;
import dev.rebatch.model.node.NodeFile;
import java.util.stream.Stream;

/** The files of a task (stdout.txt, stderr.txt, anything under its working directory). */
public final class FileOperations {

    private final BatchCalls calls;

    FileOperations(BatchCalls calls) {
        this.calls = calls;
    }

    /** The task's files; with {@code recursive}, those in subdirectories too. */
    public Stream<NodeFile> list(String jobId, String taskId, boolean recursive, RequestOptions options) {
        BatchRequest request = BatchRequest.of("GET", ResourcePaths.task(jobId, taskId) + "/files")
                .withQuery("recursive", recursive);
        return PagedList.stream(calls, "list files of task " + taskId, request, ListOptions.ALL, options,
                NodeFile.class);
    }

    /** The whole file. */
    public byte[] read(String jobId, String taskId, String filePath, RequestOptions options) {
        return read(jobId, taskId, filePath, null, options);
    }

    /**
     * Bytes of the file from {@code offset} to its end, or the whole file when {@code offset} is null: read a
     * growing stdout.txt by asking again from the length already read.
     */
    public byte[] read(String jobId, String taskId, String filePath, Long offset, RequestOptions options) {
        BatchRequest request = BatchRequest.of("GET", ResourcePaths.taskFile(jobId, taskId, filePath))
                .withHeader("ocp-range", offset == null ? null : "bytes=" + offset + "-");
        try {
            return calls.send("read file " + filePath + " of task " + taskId, request, options).body();
        } catch (BatchServiceException answer) {
            if (offset != null && answer.statusCode() == 416) {
                return new byte[0]; // nothing past the end yet
            }
            throw answer;
        }
    }

    /** Deletes a file; a retry after an unknown outcome told FileNotFound counts as success. */
    public void delete(String jobId, String taskId, String filePath, RequestOptions options) {
        String what = "delete file " + filePath + " of task " + taskId;
        calls.send(what, BatchRequest.of("DELETE", ResourcePaths.taskFile(jobId, taskId, filePath)), options,
                EchoRule.<BatchResponse>of(gone -> {
                    Confirmations.gone(what, gone);
                    return null;
                }, "FileNotFound"), response -> null);
    }
}
