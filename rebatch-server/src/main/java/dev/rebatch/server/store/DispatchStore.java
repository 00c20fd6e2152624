package dev.rebatch.server.store;

import dev.rebatch.server.store.BatchStore.InsertOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The part of the store that serves execution: the queue of tasks waiting for a node, task leases with their fencing
 * epoch, node liveness, and wake-up messages between service instances. Part of {@link BatchStore}, and kept to
 * primitives: which task goes to which node is decided by the dispatch code above it.
 *
 * <p>The queue and the leases are columns of the task rows themselves (docs/storage.md): a task is in a pool's queue
 * while it is {@link #WAITING} and its row carries that pool's key ({@link QueueFacts}); it is leased while it is in
 * one of the {@link #LEASED} states and its row names the node and epoch.
 *
 * <p><b>Clocks.</b> Lease expiry is decided by the database's clock, so that service instances whose clocks differ
 * still agree on which lease ran out: on PostgreSQL the SQL reads {@code clock_timestamp()} and the {@code now}
 * arguments below are ignored; the embedded databases have no clock of their own, and there the service's {@code now}
 * is the database clock.
 */
public interface DispatchStore {

    /** The task state of the tasks in a queue. */
    String WAITING = "active";
    /** The task states in which a task is leased to a node. */
    Set<String> LEASED = Set.of("running", "preparing");
    /** Delivered to {@link #listen listeners} when messages may have been lost. */
    String MESSAGES_MAY_BE_LOST = "";

    /**
     * Stores new tasks of one job, as {@link BatchStore#insertAll}, in that job's queue, while the job meets
     * {@code job} (see {@link ParentCondition}). Tasks inserted through {@code insert} or {@code insertAll} are in no
     * queue and are never granted.
     *
     * @throws ParentChangedException when the job does not meet the condition; nothing was stored
     */
    List<InsertOutcome> insertTasks(ParentCondition job, List<StoredResource> tasks, QueueFacts facts);

    /**
     * Copies a job's queue facts onto its tasks, if {@code facts.jobVersion()} is the job's current version (else
     * nothing: the copy of the newer version follows the change that made it). Copies of one job never run side by
     * side, so the last one standing is that of the newest version; tasks already carrying the facts are not
     * rewritten. Returns how many tasks changed.
     */
    int updateQueueFacts(String account, String jobId, QueueFacts facts);

    /** Runs {@code work} in one transaction; the rows it locks stay locked until it returns. */
    <T> T inLeaseTransaction(LeaseWork<T> work);

    /** A resource with its row's lease columns. */
    Optional<LeasedResource> findLeased(ResourceKey key);

    /**
     * {@link #findLeased} for many keys at once (a few queries, not one per key): those that exist, in no particular
     * order. Keys may name resources of different parents.
     */
    List<LeasedResource> findLeased(Collection<ResourceKey> keys);

    /**
     * Extends a task's lease to {@code ttl} from now, if {@code nodeId} holds it at {@code epoch} and the task is still
     * in a {@link #LEASED} state. Does not change the task's version: a renewal is no change a client could see.
     *
     * @return false when the lease is no longer this node's (requeued, regranted, completed, deleted)
     */
    boolean renewLease(ResourceKey task, String nodeId, long epoch, Duration ttl, Instant now);

    /** Sets a resource's {@code expiresAt} to {@code ttl} from now, without a new version: a node's heartbeat. */
    boolean keepAlive(ResourceKey key, Duration ttl, Instant now);

    /** Up to {@code limit} resources of a kind, in one of {@code states}, whose lease expired, oldest expiry first. */
    List<LeasedResource> findExpired(ResourceKind kind, Set<String> states, Instant now, int limit);

    /**
     * Replaces a resource as {@link BatchStore#update} does, but only while its lease is still expired: a lease
     * renewed since it was found expired is left alone.
     *
     * @return the stored resource, or empty when the version moved on or the lease was renewed
     */
    Optional<StoredResource> updateIfExpired(StoredResource resource, Instant now);

    /** The tasks of an account in a {@link #LEASED} state whose lease names {@code nodeId}. */
    List<LeasedResource> findHeldBy(String account, String nodeId);

    /**
     * Sends {@code message} to every {@link #listen listener} of every service instance on this database, the sender
     * included. On the embedded store there is no other instance and nothing is sent.
     */
    void publish(String message);

    /**
     * Delivers every published message to {@code listener} until the returned handle is closed. Delivery is
     * best effort: after a lost database connection the listener gets {@link #MESSAGES_MAY_BE_LOST} once it listens
     * again, meaning any message in between may be gone.
     */
    AutoCloseable listen(Consumer<String> listener);

    /** Work done in a {@link #inLeaseTransaction lease transaction}. */
    @FunctionalInterface
    interface LeaseWork<T> {
        T run(LeaseTransaction transaction);
    }
}
