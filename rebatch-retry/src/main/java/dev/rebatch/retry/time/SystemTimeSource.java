package dev.rebatch.retry.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Real time. Scheduled tasks are timed by one shared daemon thread and then handed to an executor, so a slow
 * retry never delays the timers of other operations.
 */
public final class SystemTimeSource implements TimeSource {

    private static final SystemTimeSource DEFAULT = new SystemTimeSource(ForkJoinPool.commonPool());

    private final Executor executor;

    /** @param executor where scheduled tasks run once their delay has passed */
    public SystemTimeSource(Executor executor) {
        this.executor = executor;
    }

    /** Real time whose scheduled tasks run on the common fork-join pool. */
    public static SystemTimeSource systemDefault() {
        return DEFAULT;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (!duration.isNegative() && !duration.isZero()) {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> timer = Timer.INSTANCE.schedule(
                () -> executor.execute(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> timer.cancel(false);
    }

    /** Created on first use so that purely synchronous users never start the thread. */
    private static final class Timer {
        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "rebatch-retry-timer");
                thread.setDaemon(true);
                return thread;
            });
            // Cancelled retries (the caller gave up) must not pile up in the queue until their time comes.
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
