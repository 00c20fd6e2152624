package dev.rebatch.node.exec;

import java.util.concurrent.CompletableFuture;

/**
 * A process a {@link ProcessSpawner} started.
 *
 * @param handle what signals it and finds its descendants ({@link ProcessTree})
 * @param exitCode completes once it has exited and been collected, with its exit status as the JDK reports one: the
 *                 code it exited with, or 128 + the signal that killed it. Dependent stages run on the thread that
 *                 collected it: keep them short.
 */
public record SpawnedProcess(ProcessHandle handle, CompletableFuture<Integer> exitCode) {

    public long pid() {
        return handle.pid();
    }

    /** Kills the process and whatever descendants it has now, without waiting: for a process nobody may watch. */
    public void killNow() {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
    }
}
