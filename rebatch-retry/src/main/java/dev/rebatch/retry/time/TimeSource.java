package dev.rebatch.retry.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Everything the retry core needs from time: a monotonic clock for deadlines, the wall clock for HTTP-date
 * hints, blocking sleep for synchronous retries and scheduling for asynchronous ones. Production code uses
 * {@link SystemTimeSource}; tests use {@link VirtualTimeSource} so that they never really sleep.
 */
public interface TimeSource {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}: only differences are meaningful. */
    long nanoTime();

    /** The current wall-clock time. */
    Instant now();

    /** Blocks the calling thread for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it if it has not run yet. */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that may be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task; returns false when it had already run or been cancelled. */
        boolean cancel();
    }
}
