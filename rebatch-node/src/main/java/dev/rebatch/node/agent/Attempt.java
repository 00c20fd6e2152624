package dev.rebatch.node.agent;

import dev.rebatch.model.agent.HeldAttempt;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.exec.CancelReason;
import dev.rebatch.node.exec.RunningTask;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt the agent was granted, from its grant until the service no longer counts it and its process is gone.
 * Its fields change on several threads (the lease loop, the attempt's own thread); each is volatile, and the agent
 * reads them as a snapshot when it counts slots.
 */
final class Attempt {

    final HeldAttempt id;
    final TaskKey task;
    final int requiredSlots;
    /** The registration it was granted under: its reports are made as that node. */
    final NodeRegistration node;

    /** The service still counts it: listed in every lease call until its completion is acknowledged or refused. */
    private volatile boolean listed = true;
    /** It holds a slot here: from its grant until its process (if any) is gone. */
    private volatile boolean occupying = true;
    /**
     * Its completion report is with the sender, whose call offers the report's slots for new tasks: the slot is that
     * call's to offer until the report is settled, even if the attempt is dropped meanwhile (a lease call's answer may
     * cancel it, the service having taken the report already), or a lease call would offer it too.
     */
    private volatile boolean reportOut;
    /** The service no longer accepts reports on it, or the agent stops: nobody reports how it ends. */
    private volatile boolean dropped;
    private volatile CancelReason dropReason;
    private volatile RunningTask running;
    /** {@link System#nanoTime} when its process started; meaningful once {@link #running} is set. */
    private volatile long launchedAtNanos;
    private final AtomicBoolean startReportClaimed = new AtomicBoolean();

    Attempt(HeldAttempt id, int requiredSlots, NodeRegistration node) {
        this.id = id;
        this.task = new TaskKey(id.jobId(), id.taskId());
        this.requiredSlots = requiredSlots;
        this.node = node;
    }

    boolean listed() {
        return listed;
    }

    boolean occupying() {
        return occupying;
    }

    boolean dropped() {
        return dropped;
    }

    /** Counts against the node's slots, as far as this agent can tell, or its slot is a report's to offer. */
    boolean countsAgainstSlots() {
        return listed || occupying || reportOut;
    }

    /** Whether it can be forgotten. */
    boolean finished() {
        return !listed && !occupying && !reportOut;
    }

    void launched(RunningTask task) {
        this.launchedAtNanos = System.nanoTime();
        this.running = task;
        CancelReason reason = dropReason;
        if (reason != null) {
            task.cancel(reason); // dropped while it was being launched
        }
    }

    /**
     * Whether its start is to be reported now: its process has run for {@code delay} and still runs, and nobody
     * reported it yet. True once at most.
     */
    boolean claimStartReport(Duration delay, long nowNanos) {
        RunningTask task = running;
        return task != null && !dropped && !task.isDone() && nowNanos - launchedAtNanos >= delay.toNanos()
                && startReportClaimed.compareAndSet(false, true);
    }

    void processGone() {
        occupying = false;
    }

    /** Its completion report goes to the sender (see {@link #reportOut}). */
    void reportHandedOver() {
        reportOut = true;
    }

    /** The service no longer counts it, and its report (if any) is settled. */
    void unlisted() {
        listed = false;
        reportOut = false;
    }

    /** Stops it without a report: the process, if one runs, is ended for {@code reason}. */
    void drop(CancelReason reason) {
        dropReason = reason;
        dropped = true;
        listed = false;
        RunningTask task = running;
        if (task != null) {
            task.cancel(reason);
        }
    }

    @Override
    public String toString() {
        return task + " (epoch " + id.epoch() + ")";
    }
}
