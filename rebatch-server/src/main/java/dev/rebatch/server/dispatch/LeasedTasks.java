package dev.rebatch.server.dispatch;

import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.StoredResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    /** Keys read and not found: gone. */
    private final Set<String> missing = new HashSet<>();

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
        List<ResourceKey> unread = new ArrayList<>();
        for (ResourceKey key : keys) {
            String k = mapKey(key);
            if (!byKey.containsKey(k) && missing.add(k)) {
                unread.add(key);
            }
        }
        if (unread.isEmpty()) {
            return;
        }
        for (LeasedResource found : store.findLeased(unread)) {
            String k = mapKey(found.key());
            byKey.put(k, found);
            missing.remove(k);
        }
    }

    /** The task as read ({@link #heldBy} or {@link #readAlso}); read now, on its own, if it was not. */
    Optional<LeasedResource> get(ResourceKey key) {
        String k = mapKey(key);
        LeasedResource task = byKey.get(k);
        if (task != null) {
            return Optional.of(task);
        }
        if (missing.contains(k)) {
            return Optional.empty();
        }
        return store.findLeased(key);
    }

    private static String mapKey(ResourceKey key) {
        return key.account() + "/" + key.parentKey() + "/" + key.idKey();
    }
}
