package dev.rebatch.node.agent;

import dev.rebatch.model.agent.HeldAttempt;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.node.exec.CancelReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts the agent was granted and has not forgotten yet: what its lease calls list, and the slots they hold.
 * An attempt is forgotten once the service no longer counts it and its process is gone ({@link Attempt#finished}).
 */
final class Attempts {

    /** As many slots as a node may offer. */
    private static final int MAX_SLOTS = 256;

    private final Map<HeldAttempt, Attempt> byId = new ConcurrentHashMap<>();
    /** Launched attempts whose start report is not yet due or claimed. */
    private final LaunchOrder<Attempt> launchOrder = new LaunchOrder<>();

    /** Adds a granted attempt; false when it is there already (the same grant twice: it runs once). */
    boolean add(Attempt attempt) {
        return byId.putIfAbsent(attempt.id, attempt) == null;
    }

    Attempt get(HeldAttempt id) {
        return byId.get(id);
    }

    int size() {
        return byId.size();
    }

    /** The attempts the service counts as this node's now: running, or with a completion not yet acknowledged. */
    List<HeldAttempt> listed() {
        List<HeldAttempt> listed = new ArrayList<>();
        for (Attempt attempt : byId.values()) {
            if (attempt.listed()) {
                listed.add(attempt.id);
            }
        }
        return listed;
    }

    /** Notes that {@code attempt}'s process started now, for {@link #claimStartReports}. */
    void launched(Attempt attempt) {
        launchOrder.add(attempt, System.nanoTime());
    }

    /**
     * The attempts whose start is to be reported now ({@link Attempt#claimStartReport}); each is returned once. Reads
     * only the attempts launched at least {@code delay} ago (see {@link LaunchOrder}).
     */
    List<Attempt> claimStartReports(Duration delay) {
        long now = System.nanoTime();
        List<Attempt> due = new ArrayList<>();
        for (Attempt attempt : launchOrder.takeDue(now, delay.toNanos())) {
            if (attempt.claimStartReport(delay, now)) {
                due.add(attempt);
            }
        }
        return due;
    }

    /** Whether a process of an attempt still runs here (its completion is yet to come). */
    boolean anyProcessRunning() {
        for (Attempt attempt : byId.values()) {
            if (attempt.occupying()) {
                return true;
            }
        }
        return false;
    }

    /** The node's slots that neither a listed attempt nor a process still ending takes. */
    int freeSlots(NodeRegistration node) {
        int used = 0;
        for (Attempt attempt : byId.values()) {
            if (attempt.countsAgainstSlots()) {
                used += attempt.requiredSlots;
            }
        }
        return Math.max(0, Math.min(MAX_SLOTS, node.taskSlots() - used));
    }

    /** Stops every attempt without a report (see {@link Attempt#drop}). */
    void dropAll(CancelReason reason) {
        for (Attempt attempt : byId.values()) {
            attempt.drop(reason);
            forgetIfFinished(attempt);
        }
    }

    void forgetIfFinished(Attempt attempt) {
        if (attempt.finished()) {
            byId.remove(attempt.id, attempt);
        }
    }
}
