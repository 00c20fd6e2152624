package dev.rebatch.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of this machine's PostgreSQL processes, from {@code /proc/PID/stat} of every process named
 * {@code postgres} (Linux): with a PostgreSQL store on the same machine, the part of a task's cost the JVM's own
 * time leaves out. Backends live as long as the service's connections, so two readings around a job see all of its
 * statements; a process that exits between them (an autovacuum worker) takes its time with it, so the figure is a
 * lower bound.
 */
final class DatabaseCpu {

    /** Linux reports these fields in clock ticks, USER_HZ, which is 100 on every Linux the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private DatabaseCpu() {}

    /** User and system seconds of every process named postgres now; NaN where there is no {@code /proc}. */
    static double seconds() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return Double.NaN;
        }
        long ticks = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path pid : pids) {
                ticks += postgresTicks(pid.resolve("stat"));
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static long postgresTicks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException goneOrHidden) {
            return 0; // the process ended while the directory was read, or is not ours to read
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || !line.substring(open + 1, close).equals("postgres")) {
            return 0;
        }
        // After the name's ')': field 3 (state) first, so utime (field 14) and stime (15) are at 11 and 12.
        String[] fields = line.substring(close + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
