package dev.rebatch.server.api.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.http.EntityResponses;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;
import java.util.Set;

/** A stored job as the API shows it (spec CloudJob): the stored document plus the service-owned properties. */
final class JobView {

    /** CloudJob's properties in both supported api-versions: what {@code $select} may name. */
    static final Set<String> PROPERTIES = Set.of("allowTaskPreemption", "commonEnvironmentSettings", "constraints",
            "creationTime", "displayName", "eTag", "executionInfo", "id", "jobManagerTask", "jobPreparationTask",
            "jobReleaseTask", "lastModified", "maxParallelTasks", "metadata", "networkConfiguration",
            "onAllTasksComplete", "onTaskFailure", "poolInfo", "previousState", "previousStateTransitionTime",
            "priority", "state", "stateTransitionTime", "stats", "url", "usesTaskDependencies");

    private JobView() {}

    static String url(String baseUrl, String jobId) {
        return baseUrl + "/jobs/" + jobId;
    }

    static ObjectNode of(StoredResource job, String baseUrl) {
        ObjectNode stored = Json.readStored(job.body());
        ObjectNode view = Json.MAPPER.createObjectNode();
        view.put("id", job.key().id());
        if (stored.has("displayName")) {
            view.set("displayName", stored.get("displayName"));
        }
        view.put("url", url(baseUrl, job.key().id()));
        view.put("eTag", EntityResponses.etag(job));
        view.put("lastModified", Timestamps.iso(job.lastModified()));
        view.put("creationTime", Timestamps.iso(job.creationTime()));
        view.put("state", job.state());
        view.put("stateTransitionTime", Timestamps.iso(job.stateTransitionTime()));
        stored.remove("id");
        stored.remove("displayName");
        view.setAll(stored);
        return view;
    }
}
