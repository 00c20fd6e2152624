package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;

/** A task as a node's recentTasks lists it (spec TaskInformation). */
final class TaskInformation {

    private TaskInformation() {}

    /** The task's url is made from the service address in its nodeInfo, the one its node called. */
    static ObjectNode of(StoredResource task) {
        return of(task, Json.readStored(task.body()));
    }

    /** {@link #of(StoredResource)} of a task whose document the caller has parsed (or written) already. */
    static ObjectNode of(StoredResource task, ObjectNode document) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        String nodeUrl = document.path("nodeInfo").path("nodeUrl").asText("");
        int pools = nodeUrl.indexOf("/pools/");
        String baseUrl = pools < 0 ? "" : nodeUrl.substring(0, pools);
        entry.put("taskUrl", baseUrl + "/jobs/" + task.key().parentId() + "/tasks/" + task.key().id());
        entry.put("jobId", task.key().parentId());
        entry.put("taskId", task.key().id());
        entry.put("taskState", task.state());
        JsonNode execution = document.path("executionInfo");
        if (execution.isObject()) {
            entry.set("executionInfo", execution);
        }
        return entry;
    }
}
