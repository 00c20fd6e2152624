package dev.rebatch.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.RecordedRequest;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.model.common.BatchJson;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The service's answers, shaped as Batch shapes them (defaults filled in, state and timestamps added). */
final class BatchBodies {

    static final ObjectMapper JSON = BatchJson.mapper();
    static final String ETAG = "0x8DE2A0F1C0FFEE0";
    static final String LAST_MODIFIED = "2026-01-01T00:00:00.1234567Z";
    /** .NET TimeSpan.MaxValue, which Batch reports for "no limit". */
    static final String UNLIMITED = "P10675199DT2H48M5.4775807S";

    private BatchBodies() {}

    /** A CloudJob for {@code spec} as the service shows it: everything sent, plus the service's defaults. */
    static String job(Object spec, String state) {
        ObjectNode job = JSON.createObjectNode();
        job.put("priority", 0).put("maxParallelTasks", -1).put("allowTaskPreemption", false)
                .put("usesTaskDependencies", false).put("onAllTasksComplete", "noaction")
                .put("onTaskFailure", "noaction");
        job.putObject("constraints").put("maxWallClockTime", UNLIMITED).put("maxTaskRetryCount", 0);
        job.setAll((ObjectNode) JSON.valueToTree(spec));
        job.put("url", "https://account.region.batch.azure.com/jobs/" + job.path("id").asText())
                .put("eTag", ETAG).put("lastModified", LAST_MODIFIED)
                .put("creationTime", LAST_MODIFIED).put("state", state).put("stateTransitionTime", LAST_MODIFIED);
        job.putObject("executionInfo").put("startTime", LAST_MODIFIED)
                .put("poolId", job.path("poolInfo").path("poolId").asText());
        return write(job);
    }

    /** {@link #job} with some properties changed: another client's job of the same id. */
    static String job(Object spec, String state, Map<String, Object> changes) {
        ObjectNode job = (ObjectNode) read(job(spec, state));
        changes.forEach((name, value) -> job.set(name, JSON.valueToTree(value)));
        return write(job);
    }

    /** A CloudTask for {@code spec} as the service shows it. */
    static String task(Object spec, String state) {
        ObjectNode task = JSON.createObjectNode();
        task.putObject("constraints").put("maxWallClockTime", UNLIMITED).put("retentionTime", "P7D")
                .put("maxTaskRetryCount", 0);
        task.put("requiredSlots", 1);
        task.setAll((ObjectNode) JSON.valueToTree(spec));
        task.put("url", "https://account.region.batch.azure.com/jobs/job-1/tasks/" + task.path("id").asText())
                .put("eTag", ETAG).put("lastModified", LAST_MODIFIED).put("creationTime", LAST_MODIFIED)
                .put("state", state).put("stateTransitionTime", LAST_MODIFIED);
        task.putObject("executionInfo").put("retryCount", 0).put("requeueCount", 0);
        return write(task);
    }

    /** A list page: {"value": [...], "odata.nextLink": ...}. */
    static String page(String nextLink, String... itemsJson) {
        ObjectNode page = JSON.createObjectNode();
        page.put("odata.metadata", "https://account.region.batch.azure.com/$metadata#jobs");
        ArrayNode value = page.putArray("value");
        for (String item : itemsJson) {
            value.add(read(item));
        }
        if (nextLink != null) {
            page.put("odata.nextLink", nextLink);
        }
        return write(page);
    }

    static String taskCounts(int active, int running, int completed, int succeeded, int failed) {
        ObjectNode result = JSON.createObjectNode();
        result.putObject("taskCounts").put("active", active).put("running", running).put("completed", completed)
                .put("succeeded", succeeded).put("failed", failed);
        result.putObject("taskSlotCounts").put("active", active).put("running", running)
                .put("completed", completed).put("succeeded", succeeded).put("failed", failed);
        return write(result);
    }

    /** The task ids of an add-collection request body, in order. */
    static List<String> taskIds(RecordedRequest addCollection) {
        List<String> ids = new ArrayList<>();
        read(addCollection.body()).path("value").forEach(task -> ids.add(task.path("id").asText()));
        return ids;
    }

    /**
     * An add-collection answer computed from the request: each task gets what {@code answer} says for its id
     * ({@link #success}, {@link #serverError}, {@link #clientError}). Batch answers in any order; this reverses it.
     */
    static Step addCollectionAnswer(Function<String, JsonNode> answer) {
        return Step.computed(request -> {
            ObjectNode result = JSON.createObjectNode();
            ArrayNode value = result.putArray("value");
            List<String> ids = taskIds(request);
            for (int i = ids.size() - 1; i >= 0; i--) {
                value.add(answer.apply(ids.get(i)));
            }
            return Step.ok(200, write(result));
        });
    }

    /** Every task of the request added. */
    static Step allAdded() {
        return addCollectionAnswer(BatchBodies::success);
    }

    static JsonNode success(String taskId) {
        return JSON.createObjectNode().put("status", "success").put("taskId", taskId).put("eTag", ETAG)
                .put("lastModified", LAST_MODIFIED)
                .put("location", "https://account.region.batch.azure.com/jobs/job-1/tasks/" + taskId);
    }

    static JsonNode serverError(String taskId, String code, String message) {
        return entry("servererror", taskId, code, message);
    }

    static JsonNode clientError(String taskId, String code, String message) {
        return entry("clienterror", taskId, code, message);
    }

    private static JsonNode entry(String status, String taskId, String code, String message) {
        ObjectNode entry = JSON.createObjectNode().put("status", status).put("taskId", taskId);
        ObjectNode error = entry.putObject("error").put("code", code);
        error.putObject("message").put("lang", "en-US").put("value", message);
        return entry;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
