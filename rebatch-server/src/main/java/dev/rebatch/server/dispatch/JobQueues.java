package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStore.InsertOutcome;
import dev.rebatch.server.store.ParentCondition;
import dev.rebatch.server.store.QueueFacts;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps each job's tasks in the right pool's queue, and wakes the nodes of that pool when tasks can be granted.
 *
 * <p>The queue facts (the job's pool while it is active, its priority) are copied onto every task row (see
 * {@link QueueFacts}): when tasks are added, and again after every change of the job. The store makes a copy only from
 * the job's current version and one copy of a job at a time, so concurrent job changes settle on the facts of the
 * newest version; an add re-reads the job after inserting and copies again if the job moved on meanwhile (the copy
 * made for that change may have run before the new rows were there).
 */
public final class JobQueues {

    /** Job states whose tasks never wait for a node again. */
    private static final Set<String> ENDING = Set.of("terminating", "completed", "deleting");

    private final BatchStore store;
    private final WorkSignals signals;

    public JobQueues(BatchStore store, WorkSignals signals) {
        this.store = store;
        this.signals = signals;
    }

    /** Where the tasks of {@code job} wait: its pool while the job is active, nowhere otherwise. */
    public static QueueFacts factsOf(StoredResource job) {
        String poolId = poolId(job);
        if (!job.state().equals("active") || poolId == null) {
            return QueueFacts.notQueued(job.version());
        }
        ObjectNode document = Json.readStored(job.body());
        return new QueueFacts(ResourceKey.lower(poolId), document.path("priority").asInt(0), job.version());
    }

    /** The pool a job's tasks run in, or {@code null} (an auto pool, which Rebatch does not create). */
    public static String poolId(StoredResource job) {
        String poolId = Json.readStored(job.body()).path("poolInfo").path("poolId").asText(null);
        return poolId == null || poolId.isEmpty() ? null : poolId;
    }

    /**
     * Inserts new tasks of {@code job} into its queue, if the job is still in one of {@code jobStates}, and wakes as
     * many of its pool's nodes as tasks were created.
     *
     * @throws dev.rebatch.server.store.ParentChangedException when the job is gone or in another state
     */
    public List<InsertOutcome> insertTasks(StoredResource job, Set<String> jobStates, List<StoredResource> tasks) {
        List<InsertOutcome> outcomes = store.insertTasks(ParentCondition.of(job, jobStates), tasks, factsOf(job));
        Optional<StoredResource> now = store.find(job.key());
        if (now.isPresent() && now.get().version() != job.version()) {
            // The job changed while we inserted: its own copy may have missed our rows.
            store.updateQueueFacts(job.key().account(), job.key().id(), factsOf(now.get()));
        }
        int created = (int) outcomes.stream().filter(InsertOutcome::created).count();
        if (created > 0) {
            tasksWaiting(now.orElse(job), created);
        }
        return outcomes;
    }

    /**
     * Copies {@code job}'s (new) facts onto its tasks, and wakes its pool's nodes if it may run now. A job that is
     * ending (terminating, completed, being deleted) is left alone: its tasks are completed or removed with it and can
     * never wait again, and a grant checks the job's state anyway.
     */
    public void jobChanged(StoredResource job) {
        if (ENDING.contains(job.state())) {
            return;
        }
        QueueFacts facts = factsOf(job);
        store.updateQueueFacts(job.key().account(), job.key().id(), facts);
        if (facts.poolKey() != null) {
            signals.poolChanged(job.key().account(), poolId(job));
        }
    }

    /**
     * Copies the facts of every active and disabled job onto its tasks where they differ: a service that stopped
     * between a job change and its copy left the copy undone, and this (at start) catches it up.
     */
    public void catchUp(int limit) {
        for (String state : new String[] {"active", "disabled"}) {
            for (StoredResource job : store.findInState(ResourceKind.JOB, state, limit)) {
                store.updateQueueFacts(job.key().account(), job.key().id(), factsOf(job));
            }
        }
    }

    /**
     * A task of the job that others may depend on was reactivated or deleted: dependents taken out of the queue as
     * blocked (see {@link Dispatcher}) go back into it (the job's queue facts are copied again, onto the tasks lacking
     * them), and every waiting node of the pool looks again.
     */
    public void dependenciesChanged(ResourceKey job) {
        store.find(job).ifPresent(this::jobChanged);
    }

    /** {@code count} tasks of {@code job} (re)entered its queue: wakes that many nodes of its pool. */
    public void tasksWaiting(StoredResource job, int count) {
        String poolId = poolId(job);
        if (job.state().equals("active") && poolId != null) {
            signals.workAdded(job.key().account(), poolId, count);
        }
    }
}
