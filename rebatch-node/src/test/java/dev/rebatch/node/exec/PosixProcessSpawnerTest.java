package dev.rebatch.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What posix_spawn gives a task's process beyond what every spawner must ({@link TaskLauncherContract}). */
class PosixProcessSpawnerTest {

    /** O_CLOEXEC in the octal flags of /proc/PID/fdinfo/FD. */
    private static final int O_CLOEXEC = 02000000;

    /**
     * Signals 32 and 33 (bits 31 and 32), which glibc keeps for itself (thread cancellation, setxid) below the
     * SIGRTMIN it shows programs: its posix_spawn leaves them ignored in the child, and no program can use them.
     */
    private static final long GLIBC_INTERNAL_SIGNALS = 0x1_8000_0000L;

    @TempDir
    Path dir;

    @Test
    void isWhatThisMachineUses() {
        // The project's machines are Linux with glibc on x86-64: if this fails, the reason says what is missing.
        assertThat(PosixProcessSpawner.UNAVAILABLE_BECAUSE).isEmpty();
        assertThat(ProcessSpawner.forThisMachine()).isSameAs(PosixProcessSpawner.INSTANCE);
    }

    @Test
    void theProcessInheritsNoOtherDescriptorOfTheJvm() throws Exception {
        Path open = Files.writeString(dir.resolve("held-open.txt"), "the JVM's");
        try (RandomAccessFile held = new RandomAccessFile(open.toFile(), "r")) {
            String heldFd = descriptorOf(open);
            assertThat(flagsOf(heldFd) & O_CLOEXEC).as("the JDK opened it without O_CLOEXEC").isZero();

            // readlink fails (1) on a descriptor the process does not have.
            assertThat(exitCodeOf("/bin/readlink", "/proc/self/fd/" + heldFd)).isEqualTo(1);
            assertThat(exitCodeOf("/bin/readlink", "/proc/self/fd/2")).as("stderr, which it has").isZero();
        }
    }

    @Test
    void theProcessHasNoSignalBlockedOrIgnored() throws Exception {
        // The program reads its own status: a shell's, read by its child, may be caught while it forks.
        List<String> lines = run("/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status");

        assertThat(lines.get(0)).isEqualTo("SigBlk:\t0000000000000000");
        assertThat(signalMask(lines.get(1)) & ~GLIBC_INTERNAL_SIGNALS).as("ignored signals").isZero();
    }

    @Test
    void theProcessLeadsItsOwnSession() throws Exception {
        // Fields 1 and 6 of /proc/PID/stat: the pid and the session id.
        String[] pidAndSession = run("/usr/bin/cut", "-d", " ", "-f1,6", "/proc/self/stat").get(0).split(" ");

        assertThat(pidAndSession[1]).isEqualTo(pidAndSession[0]);
    }

    @Test
    void aProgramKilledByASignalReportsOneHundredTwentyEightPlusTheSignal() throws Exception {
        assertThat(exitCodeOf("/bin/sh", "-c", "kill -KILL $$")).isEqualTo(128 + 9);
        assertThat(exitCodeOf("/bin/sh", "-c", "exit 255")).isEqualTo(255);
    }

    @Test
    void waitStatusesDecodeAsTheJdkReportsThem() {
        for (int code = 0; code < 256; code++) {
            assertThat(PosixProcessSpawner.exitStatus(code << 8)).isEqualTo(code);
        }
        for (int signal = 1; signal < 65; signal++) {
            int coreDumped = 0x80;
            assertThat(PosixProcessSpawner.exitStatus(signal)).isEqualTo(128 + signal);
            assertThat(PosixProcessSpawner.exitStatus(signal | coreDumped)).isEqualTo(128 + signal);
        }
    }

    private List<String> run(String... command) throws Exception {
        assertThat(exitCodeOf(command)).isZero();
        return Files.readAllLines(dir.resolve("stdout.txt"));
    }

    private int exitCodeOf(String... command) throws Exception {
        SpawnedProcess process = PosixProcessSpawner.INSTANCE.spawn(new SpawnRequest(List.of(command), dir,
                Map.of("PATH", "/usr/bin:/bin"), dir.resolve("stdout.txt"), dir.resolve("stderr.txt")));
        return process.exitCode().get(ProcessTests.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static String descriptorOf(Path file) throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file.toRealPath());
                } catch (Exception e) {
                    return false;
                }
            }).findFirst().orElseThrow().getFileName().toString();
        }
    }

    /** The hexadecimal mask of a "SigIgn:" line of /proc/PID/status; bit N is signal N + 1. */
    private static long signalMask(String line) {
        return Long.parseUnsignedLong(line.substring(line.indexOf('\t') + 1), 16);
    }

    private static int flagsOf(String fd) throws Exception {
        String flags = Files.readAllLines(Path.of("/proc/self/fdinfo", fd)).stream()
                .filter(line -> line.startsWith("flags:")).findFirst().orElseThrow();
        return Integer.parseInt(flags.substring("flags:".length()).trim(), 8);
    }
}
