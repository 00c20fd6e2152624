package dev.rebatch.server.api.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.ResourceViews;
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
        return ResourceViews.of(task, url(baseUrl, jobId, task.key().id()));
    }
}
