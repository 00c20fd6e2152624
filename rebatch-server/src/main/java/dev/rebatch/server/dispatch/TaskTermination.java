package dev.rebatch.server.dispatch;

import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.store.StoredResource;
import java.time.Instant;

/**
 * A task ended by request rather than by its process: Task_Terminate, Job_Terminate, and a node whose scheduling is
 * disabled (or that reboots) with the option {@code terminate}. The task completes with its end time; a node running
 * it learns on its next lease call that the attempt must stop.
 */
public final class TaskTermination {

    private TaskTermination() {}

    public static StoredResource completed(StoredResource task, Instant now) {
        return StateTransitions.to(task, "completed", now,
                document -> document.withObjectProperty("executionInfo").put("endTime", Timestamps.iso(now)));
    }
}
