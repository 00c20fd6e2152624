package dev.rebatch.server.dispatch;

import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.StoredResource;

/** A task just leased to a node, with the job it belongs to (for the settings the node needs from it). */
public record Grant(LeasedResource task, StoredResource job) {}
