package dev.rebatch.node.agent;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether the agent is stopping, and pauses that end as soon as it does: a loop waiting to call again must not hold
 * up a stop.
 */
final class StopSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private volatile boolean stopping;

    boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
        lock.lock();
        try {
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code pause}, or less when the agent stops. */
    void pause(Duration pause) {
        long deadline = System.nanoTime() + pause.toNanos();
        lock.lock();
        try {
            long remaining;
            while (!stopping && (remaining = deadline - System.nanoTime()) > 0) {
                stopped.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
