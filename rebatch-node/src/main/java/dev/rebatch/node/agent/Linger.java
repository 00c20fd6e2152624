package dev.rebatch.node.agent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * How long a batch of reports waits for company before it is sent. Each call to the service costs the same whatever
 * it carries (the HTTP exchange, authenticating the node, reading what it holds), and a busy node's completions come
 * a few milliseconds apart: waiting up to {@code most} for the next ones, while other processes of the node still
 * run, sends them in one call. A completion with nothing else running goes at once, so an idle node (and the dispatch
 * latency of the next task on it) never waits.
 *
 * @param most the longest a report waits for others
 * @param max  the most reports in one batch
 */
record Linger(Duration most, int max) {

    /** Enough to gather a busy node's completions, short against any task worth running as one. */
    static final Duration DEFAULT = Duration.ofMillis(5);

    /**
     * Adds to {@code batch} (holding the first report) every report {@code queue} has, and, while
     * {@code othersRunning} says more are coming, those that arrive within {@link #most} of the call, up to
     * {@link #max} in all.
     */
    <T> void gather(BlockingQueue<T> queue, List<T> batch, BooleanSupplier othersRunning) throws InterruptedException {
        long deadline = System.nanoTime() + most.toNanos();
        queue.drainTo(batch, max - batch.size());
        while (batch.size() < max && othersRunning.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            T next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, max - batch.size());
        }
    }
}
