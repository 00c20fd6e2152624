package dev.rebatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time by kind, from the first line of {@code /proc/stat} (Linux): whether a measure kept every
 * CPU busy, and how much of the busy time went to neither this JVM, its reaped children nor PostgreSQL (kernel threads,
 * interrupts, other processes). Without it a job that leaves CPUs idle and a job that spends them elsewhere look
 * alike in the per-process lines.
 *
 * @param busySeconds user, nice, system, irq and softirq time of all CPUs
 * @param interruptSeconds the irq and softirq part of it (loopback traffic is handled there)
 * @param idleSeconds idle and iowait time
 * @param stealSeconds time the hypervisor gave to others while this machine wanted to run
 */
record MachineCpu(double busySeconds, double interruptSeconds, double idleSeconds, double stealSeconds) {

    /** Linux reports these fields in clock ticks, USER_HZ, which is 100 on every Linux the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** Now, or null where there is no {@code /proc/stat}. */
    static MachineCpu now() {
        Path stat = Path.of("/proc/stat");
        if (!Files.isReadable(stat)) {
            return null;
        }
        try (var lines = Files.lines(stat)) {
            String total = lines.findFirst().orElse("");
            if (!total.startsWith("cpu ")) {
                return null;
            }
            // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user already.
            String[] f = total.substring(4).trim().split("\\s+");
            long user = Long.parseLong(f[0]) + Long.parseLong(f[1]);
            long system = Long.parseLong(f[2]);
            long idle = Long.parseLong(f[3]) + Long.parseLong(f[4]);
            long interrupts = Long.parseLong(f[5]) + Long.parseLong(f[6]);
            long steal = f.length > 7 ? Long.parseLong(f[7]) : 0;
            return new MachineCpu((user + system + interrupts) / TICKS_PER_SECOND, interrupts / TICKS_PER_SECOND,
                    idle / TICKS_PER_SECOND, steal / TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MachineCpu minus(MachineCpu earlier) {
        return new MachineCpu(busySeconds - earlier.busySeconds, interruptSeconds - earlier.interruptSeconds,
                idleSeconds - earlier.idleSeconds, stealSeconds - earlier.stealSeconds);
    }

    /**
     * {@code machine 97.0 % busy (interrupts 2.1 %), idle 3.0 %, steal 0.0 %; busy elsewhere 0.04 ms/task}: shares of
     * all CPUs' time in the interval, and the busy time {@code accountedSeconds} (the processes measured on their own)
     * does not explain, per task.
     */
    String describe(double accountedSeconds, int count) {
        double all = busySeconds + idleSeconds + stealSeconds;
        if (all <= 0) {
            return "machine n/a";
        }
        return String.format("machine %.1f %% busy (interrupts %.1f %%), idle %.1f %%, steal %.1f %%; busy elsewhere"
                        + " %.2f ms/task", 100 * busySeconds / all, 100 * interruptSeconds / all, 100 * idleSeconds / all,
                100 * stealSeconds / all, (busySeconds - accountedSeconds) * 1000 / count);
    }
}
