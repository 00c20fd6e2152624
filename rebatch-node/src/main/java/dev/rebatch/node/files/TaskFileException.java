package dev.rebatch.node.files;

import dev.rebatch.model.BatchErrorCode;

/** A task file request the node refuses, with the Batch error code (and so the HTTP status) to answer it with. */
public final class TaskFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final BatchErrorCode code;

    TaskFileException(BatchErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    TaskFileException(BatchErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public BatchErrorCode code() {
        return code;
    }
}
