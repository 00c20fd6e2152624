package dev.rebatch.server.dispatch;

import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.execution.TaskCompletion;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;
import java.time.Instant;

/**
 * A task ended by request rather than by its process: Task_Terminate, Job_Terminate, and a node whose scheduling is
 * disabled (or that reboots) with the option {@code terminate}. The task completes with its end time; a node running
 * it learns on its next lease call that the attempt must stop.
 */
public final class TaskTermination {

    private TaskTermination() {}

    /** The task completed as {@link TaskCompletion#terminate} says a terminated task completes (TaskEnded). */
    public static StoredResource completed(StoredResource task, Instant now) {
        TaskCompletion.Decision ended = TaskCompletion.terminate(Json.readStored(task.body()), now);
        return StateTransitions.to(task, ended.state(), now, ended.task(), ended.exitCode(), ended.result());
    }
}
