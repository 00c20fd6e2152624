package dev.rebatch.server.dispatch;

import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.ListQuery;
import dev.rebatch.server.store.Page;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.SqlCondition;
import dev.rebatch.server.store.StaleVersionException;
import dev.rebatch.server.store.StoredResource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Ends running attempts on behalf of an operation: a node's (disable scheduling, reboot) or a job's (disable), with the
 * option {@code requeue} (the tasks wait for a node again, requeueCount + 1) or {@code terminate} (they complete). The
 * nodes running them hear on their next lease call, which is woken at once.
 */
public final class RunningTasks {

    private static final int MAX_ROUNDS = 16;
    private static final SqlCondition LEASED = new SqlCondition("state IN (?, ?)", List.of("running", "preparing"));

    private final BatchStore store;
    private final JobQueues queues;
    private final WorkSignals signals;
    private final Clock clock;
    private volatile JobActions jobActions = JobActions.NONE;

    public RunningTasks(BatchStore store, JobQueues queues, WorkSignals signals, Clock clock) {
        this.store = store;
        this.queues = queues;
        this.signals = signals;
        this.clock = clock;
    }

    /**
     * What a terminated task may do to its job (onAllTasksComplete): set once the job operations exist, which
     * themselves use this class.
     */
    public void jobActions(JobActions actions) {
        this.jobActions = actions;
    }

    /** Requeues every task {@code node} holds; returns how many. */
    public int requeueHeldBy(StoredResource node) {
        return endHeldBy(node, this::requeued);
    }

    /** Terminates every task {@code node} holds; returns how many. */
    public int terminateHeldBy(StoredResource node) {
        return endHeldBy(node, this::terminated);
    }

    /** Requeues every running task of {@code job}; returns how many. */
    public int requeueOf(StoredResource job) {
        return endOf(job, this::requeued);
    }

    /** Terminates every running task of {@code job}; returns how many. */
    public int terminateOf(StoredResource job) {
        return endOf(job, this::terminated);
    }

    private StoredResource requeued(StoredResource task) {
        return CompletionRules.requeue(task, clock.instant());
    }

    private StoredResource terminated(StoredResource task) {
        return TaskTermination.completed(task, clock.instant());
    }

    private int endHeldBy(StoredResource node, UnaryOperator<StoredResource> end) {
        int ended = 0;
        Set<String> jobs = new LinkedHashSet<>();
        for (LeasedResource held : store.findHeldBy(node.key().account(), node.key().id())) {
            if (end(held, end)) {
                ended++;
                jobs.add(held.key().parentId());
            }
        }
        signals.nodeChanged(node.key().account(), node.key().parentId(), node.key().id());
        for (String jobId : jobs) {
            store.find(ResourceKey.topLevel(node.key().account(), ResourceKind.JOB, jobId)).ifPresent(this::ended);
        }
        return ended;
    }

    /** Some of the job's tasks were ended: a terminate may have completed its last one. */
    private void ended(StoredResource job) {
        jobActions.taskCompleted(job);
    }

    private int endOf(StoredResource job, UnaryOperator<StoredResource> end) {
        List<StoredResource> running = new ArrayList<>();
        String after = null;
        Page page;
        do {
            page = store.list(new ListQuery(job.key().account(), ResourceKind.TASK, job.key().id(), LEASED, after,
                    1000));
            running.addAll(page.items());
            after = page.nextAfterKey();
        } while (after != null);
        int ended = 0;
        for (StoredResource task : running) {
            Optional<LeasedResource> held = store.findLeased(task.key());
            if (held.isPresent() && end(held.get(), end)) {
                signals.taskEnded(held.get().resource());
                ended++;
            }
        }
        if (ended > 0) {
            ended(job);
        }
        return ended;
    }

    /**
     * Ends the attempt {@code held} stands for, unless it already ended or the task moved to another lease; retries
     * when the task changed meanwhile.
     */
    private boolean end(LeasedResource held, UnaryOperator<StoredResource> end) {
        ResourceKey jobKey = ResourceKey.topLevel(held.key().account(), ResourceKind.JOB, held.key().parentId());
        LeasedResource current = held;
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            if (!DispatchStore.LEASED.contains(current.resource().state())
                    || current.lease().epoch() != held.lease().epoch()) {
                return false;
            }
            try {
                StoredResource stored = store.update(end.apply(current.resource()));
                if (stored.state().equals(DispatchStore.WAITING)) {
                    store.find(jobKey).ifPresent(job -> queues.tasksWaiting(job, 1));
                }
                return true;
            } catch (StaleVersionException raced) {
                Optional<LeasedResource> reread = store.findLeased(held.key());
                if (reread.isEmpty()) {
                    return false;
                }
                current = reread.get();
            }
        }
        return false;
    }
}
