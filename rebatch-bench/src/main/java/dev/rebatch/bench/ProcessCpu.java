package dev.rebatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's CPU time and that of its children it has waited for (the tasks' processes), from {@code /proc/self/stat}
 * (Linux): the cost per task, which varies far less from run to run than the rate does on this machine.
 *
 * @param selfUserSeconds the JVM's own user time
 * @param selfSystemSeconds the JVM's own system time (the kernel's work for it: process start, files, sockets)
 * @param childrenSeconds user and system time of the children it has reaped
 */
record ProcessCpu(double selfUserSeconds, double selfSystemSeconds, double childrenSeconds) {

    /** Linux reports these fields in clock ticks, USER_HZ, which is 100 on every Linux the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** Now, or null where there is no {@code /proc} (the harness still runs; its CPU lines say n/a). */
    static ProcessCpu now() {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.isReadable(stat)) {
            return null;
        }
        try {
            String line = Files.readString(stat);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'.
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            long cutime = Long.parseLong(fields[13]);
            long cstime = Long.parseLong(fields[14]);
            return new ProcessCpu(utime / TICKS_PER_SECOND, stime / TICKS_PER_SECOND,
                    (cutime + cstime) / TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM's time and its children's together. */
    double totalSeconds() {
        return selfUserSeconds + selfSystemSeconds + childrenSeconds;
    }

    ProcessCpu minus(ProcessCpu earlier) {
        return new ProcessCpu(selfUserSeconds - earlier.selfUserSeconds, selfSystemSeconds - earlier.selfSystemSeconds,
                childrenSeconds - earlier.childrenSeconds);
    }

    /** {@code JVM 2.10 ms/task (user 1.40, system 0.70), tasks 0.95 ms/task} for {@code count} tasks. */
    String perTask(int count) {
        double ms = 1000.0 / count;
        return String.format("JVM %.2f ms/task (user %.2f, system %.2f), tasks' processes %.2f ms/task",
                (selfUserSeconds + selfSystemSeconds) * ms, selfUserSeconds * ms, selfSystemSeconds * ms,
                childrenSeconds * ms);
    }
}
