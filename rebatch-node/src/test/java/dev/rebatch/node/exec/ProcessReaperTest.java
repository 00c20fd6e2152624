package dev.rebatch.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@link ProcessReaper} collects the processes posix_spawn starts, both ways: one thread for all of them (pidfds
 * and epoll, what this machine uses) and a thread per process (where pidfds are missing).
 */
class ProcessReaperTest {

    private static final LibcSpawnCalls LIBC = LibcSpawnCalls.bind().calls().orElseThrow();

    @TempDir
    Path dir;

    private static PosixProcessSpawner spawner(boolean pidfds) {
        ProcessReaper reaper = new ProcessReaper(LIBC, pidfds ? LinuxExitCalls.bind() : Optional.empty());
        assertThat(reaper.usesPidfds()).as("pidfds in use").isEqualTo(pidfds);
        return new PosixProcessSpawner(LIBC, reaper);
    }

    @ParameterizedTest(name = "pidfds: {0}")
    @ValueSource(booleans = {true, false})
    void manyProcessesEndingTogetherEachGetTheirOwnExitCode(boolean pidfds) throws Exception {
        PosixProcessSpawner spawner = spawner(pidfds);
        List<SpawnedProcess> processes = new ArrayList<>();
        for (int code = 0; code < 150; code++) {
            // Most exit at once, some after a moment: one epoll_wait sees several, later ones come alone.
            String command = (code % 10 == 0 ? "sleep 0.2; " : "") + "exit " + code;
            processes.add(spawn(spawner, "/bin/sh", "-c", command));
        }

        for (int code = 0; code < processes.size(); code++) {
            assertThat(processes.get(code).exitCode().get(ProcessTests.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("exit code of process %d", code).isEqualTo(code);
        }
        List<Long> pids = processes.stream().map(SpawnedProcess::pid).toList();
        assertThat(zombieChildren()).as("collected children left as zombies").doesNotContainAnyElementsOf(pids);
    }

    @ParameterizedTest(name = "pidfds: {0}")
    @ValueSource(booleans = {true, false})
    void withPidfdsNoProcessNeedsAThreadOfItsOwn(boolean pidfds) throws Exception {
        PosixProcessSpawner spawner = spawner(pidfds);
        long before = perProcessReaperThreads();
        List<SpawnedProcess> sleepers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                sleepers.add(spawn(spawner, "/bin/sleep", "60"));
            }

            assertThat(perProcessReaperThreads() - before).isEqualTo(pidfds ? 0 : 20);
        } finally {
            sleepers.forEach(SpawnedProcess::killNow);
        }
        for (SpawnedProcess sleeper : sleepers) {
            assertThat(sleeper.exitCode().get(ProcessTests.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(128 + 9);
        }
    }

    @ParameterizedTest(name = "pidfds: {0}")
    @ValueSource(booleans = {true, false})
    void aRunningProcessHasItsHandleWhichEndsIt(boolean pidfds) throws Exception {
        SpawnedProcess process = spawn(spawner(pidfds), "/bin/sleep", "60");

        ProcessHandle handle = process.handle().orElseThrow();
        assertThat(handle.pid()).isEqualTo(process.pid());
        assertThat(handle.isAlive()).isTrue();
        handle.destroyForcibly();

        assertThat(process.exitCode().get(ProcessTests.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(128 + 9);
        assertThat(process.handle()).as("taken before it was collected, so still its own").contains(handle);
    }

    @ParameterizedTest(name = "pidfds: {0}")
    @ValueSource(booleans = {true, false})
    void aProcessCollectedBeforeAnyoneAskedHasNoHandle(boolean pidfds) throws Exception {
        SpawnedProcess process = spawn(spawner(pidfds), "/bin/true");

        assertThat(process.exitCode().get(ProcessTests.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();

        // The thread-per-process way must take the handle before it waits; the one thread takes none unasked, so
        // that a pid another process may have by now is never mistaken for this one.
        assertThat(process.handle().isPresent()).isEqualTo(!pidfds);
        process.killNow(); // whatever the handle, nothing to do and no failure
    }

    private SpawnedProcess spawn(PosixProcessSpawner spawner, String... command) throws SpawnFailedException {
        return spawner.spawn(new SpawnRequest(List.of(command), dir, Map.of("PATH", "/usr/bin:/bin"),
                dir.resolve("stdout.txt"), dir.resolve("stderr.txt")));
    }

    /** Live threads that wait for one process each (named "rebatch-process-reaper-N"), of every reaper. */
    private static long perProcessReaperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("rebatch-process-reaper-"))
                .filter(thread -> thread.getState() != Thread.State.TIMED_WAITING) // idle in the pool, waiting for work
                .count();
    }

    /** Pids of this JVM's children that are zombies (state Z in /proc/PID/stat: exited, not collected). */
    private static List<Long> zombieChildren() throws IOException {
        long self = ProcessHandle.current().pid();
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // After the command's closing parenthesis: state, then the parent's pid.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (fields[0].equals("Z") && Long.parseLong(fields[1]) == self) {
                    zombies.add(Long.parseLong(entry.getFileName().toString()));
                }
            }
        }
        return zombies;
    }
}
