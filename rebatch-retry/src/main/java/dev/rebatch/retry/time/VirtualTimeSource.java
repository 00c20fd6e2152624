package dev.rebatch.retry.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Time that moves only when told to, for tests and simulations. {@link #sleep} advances the clock at once
 * (running whatever came due), and {@link #schedule}d tasks run when {@link #advance} or {@link #runUntilIdle}
 * reaches them, on the calling thread, in time order. Thread-safe: many threads may sleep on one instance;
 * each sleep moves the shared clock forward by its own duration.
 */
public final class VirtualTimeSource implements TimeSource {

    private final Instant epoch;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private long nanos;
    private long sequence;

    public VirtualTimeSource() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** @param epoch the wall-clock time at virtual nanosecond 0 */
    public VirtualTimeSource(Instant epoch) {
        this.epoch = epoch;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Instant now() {
        return epoch.plusNanos(nanos);
    }

    /** Records the sleep and advances the clock by it; never blocks. */
    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before a virtual sleep");
        }
        synchronized (this) {
            sleeps.add(duration);
        }
        advance(duration);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Scheduled scheduled = new Scheduled(nanos + Math.max(0, delay.toNanos()), sequence++, task);
        queue.add(scheduled);
        return () -> {
            synchronized (VirtualTimeSource.this) {
                return queue.remove(scheduled);
            }
        };
    }

    /** Moves the clock forward by {@code duration}, running every task that comes due, in order. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nanos + duration.toNanos();
        }
        runDueUntil(target);
    }

    /** Runs scheduled tasks in time order (including ones they schedule) until none is left. */
    public void runUntilIdle() {
        while (true) {
            Scheduled next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    return;
                }
                nanos = Math.max(nanos, next.dueNanos());
            }
            next.task().run();
        }
    }

    /** How many scheduled tasks wait to run. */
    public synchronized int pendingTasks() {
        return queue.size();
    }

    /** Every duration passed to {@link #sleep}, in call order. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** Virtual time elapsed since the start. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nanos);
    }

    private void runDueUntil(long target) {
        while (true) {
            Scheduled next;
            synchronized (this) {
                Scheduled head = queue.peek();
                if (head == null || head.dueNanos() > target) {
                    nanos = Math.max(nanos, target);
                    return;
                }
                next = queue.poll();
                nanos = Math.max(nanos, next.dueNanos());
            }
            next.task().run();
        }
    }

    private record Scheduled(long dueNanos, long sequence, Runnable task) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(dueNanos, other.dueNanos);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
