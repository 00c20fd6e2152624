package dev.rebatch.node.exec;

/**
 * Starts a task's process as the leader of its own session and process group, so that ending the task reaches every
 * process it started ({@link ProcessTree}) and a signal meant for the agent (Ctrl-C in its terminal) does not.
 *
 * <p>Two ways, because process start is most of what a short task costs: {@link PosixProcessSpawner} calls the C
 * library's {@code posix_spawn} with {@code POSIX_SPAWN_SETSID} through the FFM API, one exec per task; the JDK's
 * {@code ProcessBuilder} ({@link JdkProcessSpawner}) needs three: its {@code jspawnhelper}, util-linux {@code setsid},
 * then the program. ProcessBuilder alone, without setsid, already starts /bin/true 2.1 times as slowly here
 * (docs/benchmarks.md, "Execution"). The JDK's way is the fallback where the C library lacks what the first needs
 * (glibc before 2.34, musl, macOS).
 */
public interface ProcessSpawner {

    /** Starts the process and returns at once. */
    SpawnedProcess spawn(SpawnRequest request) throws SpawnFailedException;

    /**
     * Whether a program that cannot be executed (missing, a directory, not executable) fails the spawn itself with
     * ENOENT or EACCES, so that the launcher need not look first. The JDK's way through setsid only learns it from
     * setsid's exit code.
     */
    default boolean refusesMissingPrograms() {
        return false;
    }

    /** What the logs and the benchmark call this way of starting processes. */
    String name();

    /**
     * The fastest spawner this machine supports. {@code -Drebatch.node.spawner=jdk} forces the JDK's (for a C
     * library that misbehaves, or to compare).
     */
    static ProcessSpawner forThisMachine() {
        return SpawnerChoice.CHOSEN;
    }

    /** The JDK's {@code ProcessBuilder}, wrapped in util-linux {@code setsid} where it is installed. */
    static ProcessSpawner jdk() {
        return JdkProcessSpawner.INSTANCE;
    }
}
