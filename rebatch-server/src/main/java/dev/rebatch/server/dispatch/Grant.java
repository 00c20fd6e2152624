package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.StoredResource;

/**
 * A task just leased to a node, with the job it belongs to (for the settings the node needs from it).
 *
 * @param document the task's document as the grant wrote it (the body of {@code task}), so that the answer to the
 *                 node is made without parsing it again; not to be changed
 */
public record Grant(LeasedResource task, StoredResource job, ObjectNode document) {}
