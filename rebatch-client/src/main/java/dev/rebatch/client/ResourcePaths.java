package dev.rebatch.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The REST paths of Batch resources, with each id percent-encoded as one path segment. */
final class ResourcePaths {

    private ResourcePaths() {}

    static String pool(String poolId) {
        return "/pools/" + segment(poolId);
    }

    static String node(String poolId, String nodeId) {
        return pool(poolId) + "/nodes/" + segment(nodeId);
    }

    static String job(String jobId) {
        return "/jobs/" + segment(jobId);
    }

    static String task(String jobId, String taskId) {
        return job(jobId) + "/tasks/" + segment(taskId);
    }

    /** A task file; {@code filePath} is relative to the task directory ("stdout.txt", "wd/out.csv"). */
    static String taskFile(String jobId, String taskId, String filePath) {
        StringBuilder path = new StringBuilder(task(jobId, taskId)).append("/files");
        for (String part : filePath.split("/")) {
            if (!part.isEmpty()) {
                path.append('/').append(segment(part));
            }
        }
        return path.toString();
    }

    static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("An id must not be empty");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
