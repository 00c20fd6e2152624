package dev.rebatch.server.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.ResourceViews;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;
import java.util.Set;

/** A stored task as the API shows it (spec CloudTask): the stored document plus the service-owned properties. */
final class TaskView {

    /** CloudTask's properties in both supported api-versions: what {@code $select} may name. */
    static final Set<String> PROPERTIES = Set.of("affinityInfo", "applicationPackageReferences",
            "authenticationTokenSettings", "commandLine", "constraints", "containerSettings", "creationTime",
            "dependsOn", "displayName", "eTag", "environmentSettings", "executionInfo", "exitConditions", "id",
            "lastModified", "multiInstanceSettings", "nodeInfo", "outputFiles", "previousState",
            "previousStateTransitionTime", "requiredSlots", "resourceFiles", "state", "stateTransitionTime", "stats",
            "url", "userIdentity");

    private TaskView() {}

    static String url(String baseUrl, String jobId, String taskId) {
        return baseUrl + "/jobs/" + jobId + "/tasks/" + taskId;
    }

    static ObjectNode of(StoredResource task, String baseUrl, String jobId) {
        ObjectNode view = ResourceViews.of(task, url(baseUrl, jobId, task.key().id()));
        JsonNode nodeInfo = view.get("nodeInfo");
        if (nodeInfo instanceof ObjectNode stored && stored.hasNonNull("poolId") && stored.hasNonNull("nodeId")) {
            view.set("nodeInfo", withUrls(stored, baseUrl));
        }
        return view;
    }

    /**
     * The node's nodeInfo (spec ComputeNodeInformation) with its URLs, made from the address the caller used, as
     * {@code url} is: the store keeps the node's pool, id and task directory only (the URLs were a third of a
     * finished task's document). In the spec's order; a copy, as the view shares the stored document's values.
     */
    private static ObjectNode withUrls(ObjectNode stored, String baseUrl) {
        String nodeUrl = baseUrl + "/pools/" + stored.get("poolId").asText() + "/nodes/" + stored.get("nodeId").asText();
        ObjectNode nodeInfo = Json.MAPPER.createObjectNode();
        copy(stored, "affinityId", nodeInfo);
        nodeInfo.put("nodeUrl", nodeUrl);
        copy(stored, "poolId", nodeInfo);
        copy(stored, "nodeId", nodeInfo);
        copy(stored, "taskRootDirectory", nodeInfo);
        if (stored.hasNonNull("taskRootDirectory")) {
            nodeInfo.put("taskRootDirectoryUrl", nodeUrl + "/files/" + stored.get("taskRootDirectory").asText());
        }
        return nodeInfo;
    }

    private static void copy(ObjectNode from, String property, ObjectNode to) {
        if (from.has(property)) {
            to.set(property, from.get(property));
        }
    }
}
