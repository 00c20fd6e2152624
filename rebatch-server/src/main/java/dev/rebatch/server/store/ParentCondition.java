package dev.rebatch.server.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What a parent (a job, a pool) must still be when children are stored under it: the same resource (an id may be
 * reused after a delete; the creation time tells the two apart) in one of {@code states}.
 *
 * <p>The store checks it under a lock on the parent's row, in the transaction that stores the children. So a
 * concurrent change of the parent, made by this or by another service instance, is ordered with the insert: either it
 * came first and the insert is refused ({@link ParentChangedException}), or it waits for the insert and then sees the
 * children (a job delete removes them, a job terminate completes them). Without the lock, a task added while its job
 * was being deleted could outlive the job.
 */
public record ParentCondition(ResourceKey parent, Instant creationTime, Set<String> states) {

    public ParentCondition {
        states = Set.copyOf(states);
    }

    /** {@code parent} as read, which must still be in one of {@code states}. */
    public static ParentCondition of(StoredResource parent, Set<String> states) {
        return new ParentCondition(parent.key(), parent.creationTime(), states);
    }

    boolean holdsFor(Optional<StoredResource> current) {
        return current.isPresent() && current.get().creationTime().equals(creationTime)
                && states.contains(current.get().state());
    }
}
