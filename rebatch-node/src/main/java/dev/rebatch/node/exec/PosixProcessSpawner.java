package dev.rebatch.node.exec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * Starts processes with glibc's {@code posix_spawn}: the C library clones the JVM's thread without copying its memory
 * (as vfork does), and the child sets itself up from the attributes and file actions below and execs the program,
 * one exec in all. The child:
 * <ul>
 *   <li>leads a new session and process group ({@code POSIX_SPAWN_SETSID}, glibc 2.26);</li>
 *   <li>has no signal blocked and every signal at its default action, whatever the JVM's thread had (a JVM blocks
 *       SIGQUIT in its threads, and an agent started under nohup ignores SIGHUP): a task starts as it would from a
 *       login shell;</li>
 *   <li>reads /dev/null, writes stdout and stderr to the task's files (created or truncated), runs in its working
 *       directory, and inherits none of the JVM's other file descriptors (sockets, the store's files), which
 *       {@code ProcessBuilder} also closes.</li>
 * </ul>
 * The JVM does not know these processes: a {@link ProcessReaper} collects them.
 */
final class PosixProcessSpawner implements ProcessSpawner {

    private static final LibcSpawnCalls.Binding BINDING = LibcSpawnCalls.bind();
    static final Optional<String> UNAVAILABLE_BECAUSE = BINDING.unavailableBecause();
    /** Only when {@link #UNAVAILABLE_BECAUSE} is empty. */
    static final PosixProcessSpawner INSTANCE = BINDING.calls().map(PosixProcessSpawner::new).orElse(null);

    private static final int MODE_0644 = 0644;

    private final LibcSpawnCalls libc;
    private final ProcessReaper reaper;

    private PosixProcessSpawner(LibcSpawnCalls libc) {
        this(libc, new ProcessReaper(libc, LinuxExitCalls.bind()));
    }

    /** For tests: a spawner whose processes {@code reaper} collects. */
    PosixProcessSpawner(LibcSpawnCalls libc, ProcessReaper reaper) {
        this.libc = libc;
        this.reaper = reaper;
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public String name() {
        return "posix_spawn";
    }

    /** glibc's posix_spawn (2.24 and later, which this needs anyway) returns the child's exec error. */
    @Override
    public boolean refusesMissingPrograms() {
        return true;
    }

    @Override
    public SpawnedProcess spawn(SpawnRequest request) throws SpawnFailedException {
        String program = request.command().get(0);
        int pid;
        try (Arena arena = Arena.ofConfined()) {
            SpawnArguments call = SpawnArguments.carve(arena, request);
            check(program, (int) libc.attrInit.invokeExact(call.attributes()));
            check(program, (int) libc.actionsInit.invokeExact(call.actions()));
            try {
                configure(call, program);
                int error = (int) libc.posixSpawn.invokeExact(call.pidOut(), call.program(), call.actions(),
                        call.attributes(), call.argv(), call.envp());
                check(program, error);
                pid = call.pidOut().get(ValueLayout.JAVA_INT, 0);
            } finally {
                int ignored = (int) libc.actionsDestroy.invokeExact(call.actions());
                ignored = (int) libc.attrDestroy.invokeExact(call.attributes());
            }
        } catch (SpawnFailedException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("posix_spawn could not be called for " + program, e);
        }
        return reaper.watch(pid);
    }

    private void configure(SpawnArguments call, String program) throws Throwable {
        MemorySegment attributes = call.attributes();
        MemorySegment actions = call.actions();
        check(program, (int) libc.sigEmptySet.invokeExact(call.noSignals()));
        check(program, (int) libc.sigFillSet.invokeExact(call.allSignals()));
        check(program, (int) libc.attrSetSigMask.invokeExact(attributes, call.noSignals()));
        check(program, (int) libc.attrSetSigDefault.invokeExact(attributes, call.allSignals()));
        check(program, (int) libc.attrSetFlags.invokeExact(attributes, (short) (LibcSpawnCalls.POSIX_SPAWN_SETSID
                | LibcSpawnCalls.POSIX_SPAWN_SETSIGMASK | LibcSpawnCalls.POSIX_SPAWN_SETSIGDEF)));
        check(program, (int) libc.actionsAddOpen.invokeExact(actions, 0, call.devNull(), LibcSpawnCalls.O_RDONLY, 0));
        check(program, (int) libc.actionsAddOpen.invokeExact(actions, 1, call.stdout(),
                LibcSpawnCalls.O_WRONLY_CREAT_TRUNC, MODE_0644));
        check(program, (int) libc.actionsAddOpen.invokeExact(actions, 2, call.stderr(),
                LibcSpawnCalls.O_WRONLY_CREAT_TRUNC, MODE_0644));
        check(program, (int) libc.actionsAddChdir.invokeExact(actions, call.workingDir()));
        check(program, (int) libc.actionsAddCloseFrom.invokeExact(actions, 3));
    }

    /** What wait(2) returned, as the JDK's Process.exitValue reports it: the exit code, or 128 + the signal. */
    static int exitStatus(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal;
    }

    private void check(String program, int error) throws SpawnFailedException {
        if (error != 0) {
            throw SpawnFailedException.forErrno(error,
                    "Cannot run program \"" + program + "\": error=" + error + ", " + libc.describe(error));
        }
    }
}
