package dev.rebatch.server.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a grant does inside one transaction of the {@link DispatchStore}. On PostgreSQL the rows it reads from the queue
 * are locked with {@code FOR UPDATE SKIP LOCKED}, so several service instances grant from one queue at once, each
 * getting other tasks; on SQLite the transaction holds the store's single writer.
 */
public interface LeaseTransaction {

    /**
     * Up to {@code limit} tasks waiting in {@code poolKey}'s queue, in grant order, after {@code after} (null: from
     * the head). Each is locked until the transaction ends; tasks locked by another transaction are skipped.
     */
    List<QueuedTask> queued(String account, String poolKey, QueuePosition after, int limit);

    /**
     * Reads a resource and locks it until the transaction ends, waiting for another transaction's lock (used for a
     * job whose running tasks are counted against its maxParallelTasks).
     */
    Optional<StoredResource> lock(ResourceKey key);

    /** As {@link BatchStore#countByState}, inside this transaction. */
    Map<String, Long> countByState(String account, ResourceKind kind, String parentId);

    /** As {@link BatchStore#find}, inside this transaction. */
    Optional<StoredResource> find(ResourceKey key);

    /**
     * The tasks of one job with any of {@code taskIds} (compared case-insensitively, as ids are), in no particular
     * order; ids without a task are left out. A task's dependency parents are read this way.
     */
    List<StoredResource> findTasks(String account, String jobId, Collection<String> taskIds);

    /**
     * Takes a waiting task out of its pool's queue (its queue facts are cleared, its version is not changed: nothing
     * a client sees changes). It comes back with the next copy of its job's queue facts
     * ({@link DispatchStore#updateQueueFacts}), which puts every task of the job lacking them back in the queue.
     * Used for a dependent that can never run as things stand (a parent blocks it), so that grants stop reading it.
     *
     * @return whether the task was waiting and is now out of the queue
     */
    boolean unqueue(ResourceKey task);

    /**
     * Stores {@code task} (a new version of the queued task {@code read}, in a leased state) and leases it to
     * {@code nodeId}: the epoch is incremented and the lease runs {@code ttl} from now. The write is made when the
     * transaction's work is done, together with its other grants: reads in the same transaction still see the task
     * as it was read.
     *
     * @param read the task and its lease as this transaction read them ({@link #queued}); {@code task} has its version
     * @throws StaleVersionException from the transaction, when a granted task changed since it was read (never for
     *                               tasks read by {@link #queued} in this transaction: they are locked)
     */
    LeasedResource grant(LeasedResource read, StoredResource task, String nodeId, Duration ttl, Instant now);
}
