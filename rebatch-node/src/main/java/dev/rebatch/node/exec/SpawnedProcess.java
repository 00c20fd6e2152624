package dev.rebatch.node.exec;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A process a {@link ProcessSpawner} started.
 *
 * @param pid      its process id
 * @param root     gives what signals it and finds its descendants ({@link ProcessTree}); empty once the process has
 *                 exited and been collected, when its pid may already belong to another process
 * @param exitCode completes once it has exited and been collected, with its exit status as the JDK reports one: the
 *                 code it exited with, or 128 + the signal that killed it. Dependent stages run on the thread that
 *                 collected it: keep them short.
 */
public record SpawnedProcess(long pid, Supplier<Optional<ProcessHandle>> root, CompletableFuture<Integer> exitCode) {

    /** A process the JDK started, whose handle stays its own. */
    static SpawnedProcess of(ProcessHandle handle, CompletableFuture<Integer> exitCode) {
        Optional<ProcessHandle> root = Optional.of(handle);
        return new SpawnedProcess(handle.pid(), () -> root, exitCode);
    }

    /** What signals it and finds its descendants; empty once it has been collected. */
    public Optional<ProcessHandle> handle() {
        return root.get();
    }

    /** Kills the process and whatever descendants it has now, without waiting: for a process nobody may watch. */
    public void killNow() {
        handle().ifPresent(handle -> {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        });
    }
}
