package dev.rebatch.server.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a dependent needs to know about one task it may depend on.
 *
 * @param id        the task's id
 * @param completed whether it is in the completed state
 * @param action    what its completion means for dependents; null while it is not completed
 */
public record ParentTask(String id, boolean completed, DependencyAction action) {

    public ParentTask {
        if (completed == (action == null)) {
            throw new IllegalArgumentException("a completed parent, and only one, has a dependency action");
        }
    }

    /** A stored task: its id, its state on the wire and its document. */
    public static ParentTask of(String id, String state, ObjectNode document) {
        boolean completed = TaskCompletion.COMPLETED.equals(state);
        return new ParentTask(id, completed, completed ? TaskCompletion.dependencyAction(document) : null);
    }

    public static ParentTask notCompleted(String id) {
        return new ParentTask(id, false, null);
    }
}
