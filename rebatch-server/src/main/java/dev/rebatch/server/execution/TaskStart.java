package dev.rebatch.server.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.Timestamps;
import java.time.Instant;

/**
 * The execution info of a task whose attempt starts running. startTime is "the most recent time at which the Task
 * started running"; lastRetryTime "the most recent time at which a retry of the Task started running", which is not
 * moved when a retry is restarted for another reason ("if the Compute Node was rebooted during a retry, then the
 * startTime is updated but the lastRetryTime is not"; spec TaskExecutionInformation).
 */
public final class TaskStart {

    private TaskStart() {}

    /**
     * The task document with an attempt started at {@code startTime}. A start is the first of a retry when a retry
     * was queued ({@link TaskCompletion#decide} sets lastRetryTime then) after the previous start.
     */
    public static ObjectNode running(ObjectNode task, Instant startTime) {
        ObjectNode document = task.deepCopy();
        ObjectNode execution = document.withObjectProperty("executionInfo");
        Instant previousStart = instant(execution.get("startTime"));
        Instant retryQueued = instant(execution.get("lastRetryTime"));
        boolean firstStartOfRetry = execution.path("retryCount").asInt(0) > 0 && retryQueued != null
                && (previousStart == null || previousStart.isBefore(retryQueued));
        execution.put("startTime", Timestamps.iso(startTime));
        if (firstStartOfRetry) {
            execution.put("lastRetryTime", Timestamps.iso(startTime));
        }
        return document;
    }

    private static Instant instant(JsonNode value) {
        return value != null && value.isTextual() ? Instant.parse(value.asText()) : null;
    }
}
