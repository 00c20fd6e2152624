package dev.rebatch.server.api.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.ResourceViews;
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
        return ResourceViews.of(job, url(baseUrl, job.key().id()));
    }
}
