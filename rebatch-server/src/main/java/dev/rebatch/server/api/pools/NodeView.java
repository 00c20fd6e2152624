package dev.rebatch.server.api.pools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.nodes.ComputeNodes;
import dev.rebatch.server.store.StoredResource;
import java.util.Set;

/**
 * A stored compute node as the API shows it (spec ComputeNode): id, url, state and its time from the store, then the
 * document without the service's own part. ComputeNode has no eTag, lastModified or creationTime, so unlike the other
 * views this one does not add them.
 */
final class NodeView {

    /** ComputeNode's properties in both supported api-versions: what {@code $select} may name. */
    static final Set<String> PROPERTIES = Set.of("id", "url", "state", "schedulingState", "stateTransitionTime",
            "lastBootTime", "allocationTime", "ipAddress", "affinityId", "vmSize", "totalTasksRun",
            "runningTasksCount", "runningTaskSlotsCount", "totalTasksSucceeded", "recentTasks", "startTask",
            "startTaskInfo", "certificateReferences", "errors", "isDedicated", "endpointConfiguration",
            "nodeAgentInfo", "virtualMachineInfo");

    private NodeView() {}

    static String url(String baseUrl, String poolId, String nodeId) {
        return baseUrl + "/pools/" + poolId + "/nodes/" + nodeId;
    }

    static ObjectNode of(StoredResource node, String baseUrl) {
        ObjectNode stored = Json.readStored(node.body());
        stored.remove("id");
        stored.remove(ComputeNodes.AGENT);
        ObjectNode view = Json.MAPPER.createObjectNode();
        view.put("id", node.key().id());
        view.put("url", url(baseUrl, node.key().parentId(), node.key().id()));
        view.put("state", node.state());
        view.put("stateTransitionTime", Timestamps.iso(node.stateTransitionTime()));
        view.setAll(stored);
        return view;
    }
}
