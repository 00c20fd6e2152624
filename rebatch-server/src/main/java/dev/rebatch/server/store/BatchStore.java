package dev.rebatch.server.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable storage of Batch resources. Two implementations pass one contract test suite: the embedded,
 * file-backed default and PostgreSQL. Every method is atomic; a method that returned normally has made its
 * change durable (it survives kill -9 of the service). Several service instances may share one PostgreSQL store.
 * What execution needs besides (the task queue, leases, node liveness) is the {@link DispatchStore} part of it.
 */
public interface BatchStore extends DispatchStore, AutoCloseable {

    /**
     * Stores a new resource with version 1.
     *
     * @throws ResourceExistsException when one with the same key (id compared case-insensitively) exists
     */
    StoredResource insert(StoredResource resource);

    /**
     * Stores several new resources in one transaction (a task collection). Each either is created or already
     * existed; the result has one entry per input, in input order.
     */
    List<InsertOutcome> insertAll(List<StoredResource> resources);

    /**
     * As {@link #insert}, but only while the parent still meets {@code parent} (a node joining a pool that is not
     * being deleted).
     *
     * @throws ResourceExistsException when one with the same key exists
     * @throws ParentChangedException  when the parent does not meet the condition; nothing was stored
     */
    StoredResource insertUnder(ParentCondition parent, StoredResource resource);

    Optional<StoredResource> find(ResourceKey key);

    /**
     * Replaces a resource whose stored version is {@code resource.version()}; the stored copy gets version + 1,
     * which is returned.
     *
     * @throws StaleVersionException when the stored version differs (or the resource is gone)
     */
    StoredResource update(StoredResource resource);

    /**
     * As {@link #update} for several resources, in one transaction (one commit): each is replaced only if its stored
     * version is the one given. The result has one entry per input, in order: the stored copy, or empty where the
     * stored version differed (nothing of that one was written; the others were).
     */
    List<Optional<StoredResource>> updateAll(List<StoredResource> resources);

    /** Removes a resource and, for a pool or a job, its nodes or tasks. Returns false when it was not there. */
    boolean delete(ResourceKey key);

    /**
     * As {@link #delete}, but only if the stored version is still {@code resource.version()}: a delete decided on
     * what was read (its conditional headers, its state) removes exactly that. Returns false when the resource
     * changed or is gone, and then nothing was removed.
     */
    boolean deleteIfUnchanged(StoredResource resource);

    /** One page of resources matching the query, in id order. */
    Page list(ListQuery query);

    /**
     * Up to {@code limit} resources of a kind in a state, across all accounts: for the service's own work, such as
     * finishing deletes that were acknowledged before a restart. Never used to answer a client. Not for tasks
     * ({@link IllegalArgumentException}): its index holds none, so that a task's state changes need not move an entry.
     */
    List<StoredResource> findInState(ResourceKind kind, String state, int limit);

    /** How many children of {@code parentId} are in each state (tasks of a job, nodes of a pool). */
    Map<String, Long> countByState(String account, ResourceKind kind, String parentId);

    /** How many children of {@code parentId} have each execution result ("success", "failure"). */
    Map<String, Long> countByResult(String account, ResourceKind kind, String parentId);

    /**
     * True while the store cannot keep up (its connections are all busy and requests queue for them): the service
     * then sheds new requests with 503 ServerBusy instead of making everyone slower.
     */
    default boolean isSaturated() {
        return false;
    }

    @Override
    void close();

    /** What happened to one resource of {@link #insertAll}. */
    record InsertOutcome(StoredResource resource, boolean created) {}
}
