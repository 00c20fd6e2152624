package dev.rebatch.node.exec;

/** The OS refused to start a task's process; {@link #failure} is how Batch reports it. */
public final class SpawnFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient FailureInfo failure;

    SpawnFailedException(FailureInfo failure) {
        super(failure.code() + ": " + failure.details());
        this.failure = failure;
    }

    public FailureInfo failure() {
        return failure;
    }

    /**
     * ENOENT (2) or EACCES (13): the program cannot be executed (a program named by a path is not looked at before
     * its spawn, and one found in PATH may have changed since), which the launcher then explains with its lookup.
     * Anything else (E2BIG, ENOMEM, ...) is a launch failure.
     */
    static SpawnFailedException forErrno(int errno, String message) {
        return new SpawnFailedException(errno == 2 || errno == 13 ? FailureInfo.programNotFound(message)
                : FailureInfo.launchFailed(message));
    }
}
