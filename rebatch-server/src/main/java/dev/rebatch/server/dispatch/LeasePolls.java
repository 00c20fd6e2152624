package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.nodes.ComputeNodes;
import dev.rebatch.server.nodes.NodeRegistry;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.Lease;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A node agent's lease call: its heartbeat, the renewal of the leases it holds, the cancellations of the attempts it
 * must stop, and new tasks for its free slots. When there is nothing to say the call waits, up to the heartbeat
 * interval, for a {@link WorkSignals signal} (a task added or requeued in its pool, one of its tasks ended) and looks
 * again; so an idle node gets a new task as soon as it is added, on whichever service instance it was added.
 */
public final class LeasePolls {

    private final BatchStore store;
    private final NodeRegistry nodes;
    private final Dispatcher dispatcher;
    private final WorkSignals signals;
    private final Clock clock;
    private final ExecutionSettings settings;

    public LeasePolls(BatchStore store, NodeRegistry nodes, Dispatcher dispatcher, WorkSignals signals, Clock clock,
            ExecutionSettings settings) {
        this.store = store;
        this.nodes = nodes;
        this.dispatcher = dispatcher;
        this.signals = signals;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Serves one lease call of {@code node} (already authenticated, and read by that a moment ago).
     *
     * @param beforeWaiting run once, before the call starts to wait (it then no longer counts as load)
     */
    public PollResult poll(StoredResource node, PollRequest request, Runnable beforeWaiting)
            throws InterruptedException {
        String account = node.key().account();
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(
                Math.max(0, Math.min(request.waitMillis(), settings.heartbeatInterval().toMillis())));
        long deadline = System.nanoTime() + waitNanos;
        boolean waited = false;
        try (WorkSignals.Waiter waiter = signals.register(account, node.key().parentId(), node.key().id())) {
            while (true) {
                // Registered before looking: a signal sent while we look wakes the wait below at once.
                nodes.heartbeat(node.key());
                // At the first look the node is as the call's authentication just read it; after a wait it is read
                // again (disabled, rebooting, removed meanwhile).
                StoredResource current = waited ? nodes.find(node.key()) : node;
                // Leases are renewed at the first look only: a look after waiting is no sign that the agent is
                // still alive (it may have died while its call waited, which the service cannot see), and renewing
                // then would let a dead node's tasks wait up to a heartbeat interval longer than leaseTtl before
                // they are requeued (found by NodeCrashTest: 29.9 s instead of the documented 27 s).
                Reconciled held = reconcile(current, request.running(), !waited);
                List<Grant> grants = List.of();
                boolean reboot = false;
                if (current.state().equals(ComputeNodes.REBOOTING)) {
                    // No new work while rebooting; once it holds nothing, the reboot is over.
                    reboot = held.renewed.isEmpty();
                } else if (ComputeNodes.schedulingEnabled(current)) {
                    int free = ComputeNodes.taskSlots(current) - held.slots;
                    if (request.freeSlots() != null) {
                        free = Math.min(free, request.freeSlots());
                    }
                    grants = dispatcher.grant(current, free, clock.instant());
                }
                long remaining = deadline - System.nanoTime();
                if (reboot || !held.cancellations.isEmpty() || !grants.isEmpty() || remaining <= 0
                        || signals.isClosed()) {
                    return answer(current, held, grants, reboot);
                }
                if (!waited) {
                    waited = true;
                    beforeWaiting.run();
                }
                waiter.await(TimeUnit.NANOSECONDS.toMillis(remaining) + 1);
            }
        }
    }

    /**
     * Grants up to {@code offered} slots' worth of tasks to {@code node} (authenticated by the call a moment ago) in a
     * completions call that offers the slots its completions freed. The agent offers each free slot to one call at a
     * time, never one it offered a lease call still waiting here, so this grant and a lease call's never take the same
     * slot. When fewer are granted than offered (the queue ran dry), the node's waiting lease call is woken: it
     * answers, and the agent asks again with the slots left.
     */
    public List<Grant> grantOffered(StoredResource node, int offered) {
        List<Grant> grants = List.of();
        if (!node.state().equals(ComputeNodes.REBOOTING) && ComputeNodes.schedulingEnabled(node)) {
            grants = dispatcher.grant(node, Math.min(offered, ComputeNodes.taskSlots(node)), clock.instant());
        }
        if (recordGrants(node, grants) < offered) {
            signals.nodeChanged(node.key().account(), node.key().parentId(), node.key().id());
        }
        return grants;
    }

    /** Records the grants in the node's recentTasks; returns the slots they take. */
    private int recordGrants(StoredResource node, List<Grant> grants) {
        int slots = 0;
        List<ObjectNode> started = new ArrayList<>();
        for (Grant grant : grants) {
            slots += requiredSlots(grant.task().resource());
            started.add(TaskInformation.of(grant.task().resource(), grant.document()));
        }
        nodes.recordGrants(node.key(), started);
        return slots;
    }

    private PollResult answer(StoredResource node, Reconciled held, List<Grant> grants, boolean reboot) {
        int slots = held.slots + recordGrants(node, grants);
        StoredResource settled = nodes.settle(node, held.renewed.size() + grants.size(), slots);
        nodes.heartbeat(node.key());
        return new PollResult(settled, held.renewed, held.cancellations, grants, reboot);
    }

    /**
     * Renews what the node still rightly holds (or, with {@code renew} false, only checks that it still holds it: its
     * lease was renewed by this call's first look), and says which of its attempts must stop. The tasks the node
     * holds are read in one query, the attempts not among them (ended, requeued, gone) in one more. A busy node calls
     * at every completion, so this is on the path of every task.
     */
    private Reconciled reconcile(StoredResource node, List<HeldAttempt> running, boolean renew) {
        Reconciled result = new Reconciled();
        if (running.isEmpty()) {
            return result;
        }
        Map<String, Optional<StoredResource>> jobs = new HashMap<>();
        String account = node.key().account();
        LeasedTasks tasks = LeasedTasks.heldBy(store, node);
        // Attempts that ended meanwhile (a busy node's completion often lands while its next lease call is out):
        // read together, to say why each must stop.
        tasks.readAlso(running.stream()
                .filter(attempt -> BatchIds.isValid(attempt.jobId()) && BatchIds.isValid(attempt.taskId()))
                .map(attempt -> new ResourceKey(account, ResourceKind.TASK, attempt.jobId(), attempt.taskId()))
                .toList());
        for (HeldAttempt attempt : running) {
            if (!BatchIds.isValid(attempt.jobId()) || !BatchIds.isValid(attempt.taskId())) {
                result.cancel(attempt, Cancellation.DELETE_TASK);
                continue;
            }
            Optional<StoredResource> job = jobs.computeIfAbsent(ResourceKey.lower(attempt.jobId()),
                    k -> store.find(ResourceKey.topLevel(account, ResourceKind.JOB, attempt.jobId())));
            ResourceKey key = new ResourceKey(account, ResourceKind.TASK, attempt.jobId(), attempt.taskId());
            Optional<LeasedResource> task = tasks.get(key);
            String jobState = job.map(StoredResource::state).orElse("deleting");
            if (task.isEmpty()) {
                result.cancel(attempt, jobState.equals("deleting") ? Cancellation.DELETE_JOB : Cancellation.DELETE_TASK);
            } else if (!task.get().lease().heldBy(node.key().id(), attempt.epoch())) {
                result.cancel(attempt, Cancellation.LEASE_LOST);
            } else if (!DispatchStore.LEASED.contains(task.get().resource().state())) {
                result.cancel(attempt, endedBy(jobState, task.get().resource().state()));
            } else if (jobState.equals("deleting")) {
                result.cancel(attempt, Cancellation.DELETE_JOB);
            } else if (jobState.equals("terminating") || jobState.equals("completed")) {
                result.cancel(attempt, Cancellation.TERMINATE_JOB);
            } else if (!renew || fresh(task.get().lease())
                    || store.renewLease(key, node.key().id(), attempt.epoch(), settings.leaseTtl(), clock.instant())) {
                result.renewed.add(attempt);
                result.slots += requiredSlots(task.get().resource());
            } else {
                result.cancel(attempt, Cancellation.LEASE_LOST); // requeued or ended just now
            }
        }
        return result;
    }

    /**
     * Whether a lease needs no renewal yet: more than the TTL less two heartbeats is left of it. A node calls at every
     * grant and completion, many times a second when busy, and renewing every lease it holds at every call was a
     * write per held task per call; this way a lease is written about every other heartbeat and never has less than
     * that left. The check uses the service's clock against an expiry set by the database's (on PostgreSQL): they
     * must agree to within those two heartbeats (10 s by default), as NTP keeps them.
     */
    private boolean fresh(Lease lease) {
        Duration margin = settings.leaseTtl().minus(settings.heartbeatInterval().multipliedBy(2));
        return lease.expiresAt() != null && margin.isPositive()
                && Duration.between(clock.instant(), lease.expiresAt()).compareTo(margin) > 0;
    }

    /** Why an attempt whose task left the leased states (completed, or requeued to active) must stop. */
    private static String endedBy(String jobState, String taskState) {
        return switch (jobState) {
            case "deleting" -> Cancellation.DELETE_JOB;
            case "terminating", "completed" -> Cancellation.TERMINATE_JOB;
            case "disabling", "disabled" -> Cancellation.DISABLE_JOB;
            default -> taskState.equals("completed") ? Cancellation.TERMINATE_TASK : Cancellation.LEASE_LOST;
        };
    }

    static int requiredSlots(StoredResource task) {
        return Math.max(1, Json.storedInt(task.body(), "requiredSlots", 1));
    }

    /** What the node holds after one look. */
    private static final class Reconciled {
        final List<HeldAttempt> renewed = new ArrayList<>();
        final List<Cancellation> cancellations = new ArrayList<>();
        int slots;

        void cancel(HeldAttempt attempt, String reason) {
            cancellations.add(new Cancellation(attempt.jobId(), attempt.taskId(), attempt.epoch(), reason));
        }
    }
}
