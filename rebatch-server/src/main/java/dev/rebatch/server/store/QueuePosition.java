package dev.rebatch.server.store;

import java.time.Instant;

/**
 * A place in one pool's queue, in the order tasks are granted: highest job priority first, then oldest task, then
 * job and task id (so the order is total). A scan that had to skip tasks continues after the last one it saw.
 */
public record QueuePosition(int priority, Instant creationTime, String parentKey, String idKey) {}
