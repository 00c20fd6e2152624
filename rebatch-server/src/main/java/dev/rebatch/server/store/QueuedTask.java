package dev.rebatch.server.store;

/** A task waiting in a pool's queue, locked for the transaction that read it, and where it stands in the queue. */
public record QueuedTask(LeasedResource task, QueuePosition position) {

    public StoredResource resource() {
        return task.resource();
    }
}
