package dev.rebatch.server.dispatch;

import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.StoredResource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tasks with their leases, read together for one call of a node: for a lease call the tasks it holds in one query,
 * then, in one more, those its call names that it no longer holds; for completions the reported tasks in one query.
 * A node reports on many attempts per call; reading each task on its own was a query per attempt on the path of every
 * task.
 */
final class LeasedTasks {

    private final DispatchStore store;
    /** Keyed by the lowercased ids: ids are unique case-insensitively, and an agent may spell them otherwise. */
    private final Map<String, LeasedResource> byKey = new HashMap<>();

    private LeasedTasks(DispatchStore store) {
        this.store = store;
    }

    /** The tasks {@code node} holds now (leased, naming it). */
    static LeasedTasks heldBy(DispatchStore store, StoredResource node) {
        LeasedTasks tasks = new LeasedTasks(store);
        for (LeasedResource held : store.findHeldBy(node.key().account(), node.key().id())) {
            tasks.byKey.put(mapKey(held.key()), held);
        }
        return tasks;
    }

    /** The tasks of {@code keys}, read in one go (those that exist, whoever holds them). */
    static LeasedTasks of(DispatchStore store, Collection<ResourceKey> keys) {
        LeasedTasks tasks = new LeasedTasks(store);
        tasks.readAlso(keys);
        return tasks;
    }

    /** Reads those of {@code keys} not read yet (not held by the node), in one go. */
    void readAlso(Collection<ResourceKey> keys) {
        List<ResourceKey> unread = keys.stream().filter(key -> !byKey.containsKey(mapKey(key))).toList();
        if (!unread.isEmpty()) {
            for (LeasedResource found : store.findLeased(unread)) {
                byKey.put(mapKey(found.key()), found);
            }
        }
    }

    /** The task as read by {@link #heldBy} or {@link #readAlso}; empty when it was not there (or never asked for). */
    Optional<LeasedResource> get(ResourceKey key) {
        return Optional.ofNullable(byKey.get(mapKey(key)));
    }

    private static String mapKey(ResourceKey key) {
        return key.account() + "/" + key.parentKey() + "/" + key.idKey();
    }
}
