package dev.rebatch.server.store;

import dev.rebatch.server.store.BatchStore.InsertOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A real store with hooks that let a test slip another writer (another request, another service instance) in
 * between a route's read and its write: just before its next update, task insert or versioned delete.
 */
public final class RacingStore implements BatchStore {

    /** Runs once, just before the next update reaches the store. */
    public final AtomicReference<Runnable> beforeNextUpdate = new AtomicReference<>();
    /** Runs once, just before the next insert of tasks reaches the store. */
    public final AtomicReference<Runnable> beforeNextTaskInsert = new AtomicReference<>();
    /** Runs once, just before the next versioned delete reaches the store. */
    public final AtomicReference<Runnable> beforeNextVersionedDelete = new AtomicReference<>();
    /** While positive, each delete by key counts it down and fails as a deadlocked transaction would. */
    public final AtomicInteger failingDeletes = new AtomicInteger();
    private final BatchStore store;

    public RacingStore(BatchStore store) {
        this.store = store;
    }

    @Override
    public StoredResource insert(StoredResource resource) {
        return store.insert(resource);
    }

    @Override
    public List<InsertOutcome> insertAll(List<StoredResource> resources) {
        return store.insertAll(resources);
    }

    @Override
    public Optional<StoredResource> find(ResourceKey key) {
        return store.find(key);
    }

    @Override
    public StoredResource update(StoredResource resource) {
        runOnce(beforeNextUpdate);
        return store.update(resource);
    }

    @Override
    public List<Optional<StoredResource>> updateAll(List<StoredResource> resources) {
        return store.updateAll(resources);
    }

    @Override
    public boolean delete(ResourceKey key) {
        if (failingDeletes.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new StoreException("Store transaction failed",
                    new java.sql.SQLException("ERROR: deadlock detected (simulated)", "40P01"));
        }
        return store.delete(key);
    }

    @Override
    public Page list(ListQuery query) {
        return store.list(query);
    }

    @Override
    public List<StoredResource> findInState(ResourceKind kind, String state, int limit) {
        return store.findInState(kind, state, limit);
    }

    @Override
    public Map<String, Long> countByState(String account, ResourceKind kind, String parentId) {
        return store.countByState(account, kind, parentId);
    }

    @Override
    public Map<String, Long> countByResult(String account, ResourceKind kind, String parentId) {
        return store.countByResult(account, kind, parentId);
    }

    @Override
    public List<InsertOutcome> insertTasks(ParentCondition job, List<StoredResource> tasks, QueueFacts facts) {
        runOnce(beforeNextTaskInsert);
        return store.insertTasks(job, tasks, facts);
    }

    @Override
    public StoredResource insertUnder(ParentCondition parent, StoredResource resource) {
        return store.insertUnder(parent, resource);
    }

    @Override
    public boolean deleteIfUnchanged(StoredResource resource) {
        runOnce(beforeNextVersionedDelete);
        return store.deleteIfUnchanged(resource);
    }

    @Override
    public int updateQueueFacts(String account, String jobId, QueueFacts facts) {
        return store.updateQueueFacts(account, jobId, facts);
    }

    @Override
    public <T> T inLeaseTransaction(LeaseWork<T> work) {
        return store.inLeaseTransaction(work);
    }

    @Override
    public Optional<LeasedResource> findLeased(ResourceKey key) {
        return store.findLeased(key);
    }

    @Override
    public List<LeasedResource> findLeased(Collection<ResourceKey> keys) {
        return store.findLeased(keys);
    }

    @Override
    public boolean renewLease(ResourceKey task, String nodeId, long epoch, Duration ttl, Instant now) {
        return store.renewLease(task, nodeId, epoch, ttl, now);
    }

    @Override
    public boolean keepAlive(ResourceKey key, Duration ttl, Instant now) {
        return store.keepAlive(key, ttl, now);
    }

    @Override
    public List<LeasedResource> findExpired(ResourceKind kind, Set<String> states, Instant now, int limit) {
        return store.findExpired(kind, states, now, limit);
    }

    @Override
    public Optional<StoredResource> updateIfExpired(StoredResource resource, Instant now) {
        return store.updateIfExpired(resource, now);
    }

    @Override
    public List<LeasedResource> findHeldBy(String account, String nodeId) {
        return store.findHeldBy(account, nodeId);
    }

    @Override
    public void publish(String message) {
        store.publish(message);
    }

    @Override
    public AutoCloseable listen(Consumer<String> listener) {
        return store.listen(listener);
    }

    @Override
    public void close() {
        store.close();
    }

    private static void runOnce(AtomicReference<Runnable> hook) {
        Runnable once = hook.getAndSet(null);
        if (once != null) {
            once.run();
        }
    }
}
