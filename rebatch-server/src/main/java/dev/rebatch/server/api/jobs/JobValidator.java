package dev.rebatch.server.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.BodyChecks;
import dev.rebatch.server.http.BatchException;
import java.util.Set;

/**
 * Checks job bodies against the spec (JobAddParameter, JobUpdateParameter, JobPatchParameter) before anything is
 * stored, and fills the spec's defaults.
 */
final class JobValidator {

    /** JobAddParameter's properties in both supported api-versions. */
    private static final Set<String> ADD_PROPERTIES = Set.of("id", "displayName", "priority", "maxParallelTasks",
            "allowTaskPreemption", "constraints", "jobManagerTask", "jobPreparationTask", "jobReleaseTask",
            "commonEnvironmentSettings", "poolInfo", "onAllTasksComplete", "onTaskFailure", "metadata",
            "usesTaskDependencies", "networkConfiguration");
    /** JobPatchParameter / JobUpdateParameter. */
    private static final Set<String> CHANGE_PROPERTIES = Set.of("priority", "maxParallelTasks", "allowTaskPreemption",
            "onAllTasksComplete", "constraints", "poolInfo", "metadata", "networkConfiguration");
    private static final Set<String> ON_ALL_TASKS_COMPLETE = Set.of("noaction", "terminatejob");
    private static final Set<String> ON_TASK_FAILURE = Set.of("noaction", "performexitoptionsjobaction");
    /** TimeSpan.MaxValue as Batch serializes "no limit" (spec example JobGet.json). */
    static final String UNLIMITED = "P10675199DT2H48M5.4775807S";

    private JobValidator() {}

    /** Validates a job add body and returns the stored document with the spec's defaults filled in. */
    static ObjectNode validateAdd(ObjectNode body) {
        BodyChecks.rejectUnknown(body, ADD_PROPERTIES, "");
        String id = BodyChecks.requireText(body, "id");
        BatchIds.require("id", id);
        JsonNode poolInfo = body.get("poolInfo");
        if (poolInfo == null || poolInfo.isNull()) {
            throw BatchException.missingProperty("poolInfo");
        }
        validatePoolInfo(poolInfo);
        BodyChecks.optionalText(body, "displayName", 1024);
        validateCommon(body);
        optionalEnum(body, "onTaskFailure", ON_TASK_FAILURE);
        optionalBoolean(body, "usesTaskDependencies");

        ObjectNode stored = body.deepCopy();
        stored.put("priority", body.path("priority").asInt(0));
        stored.put("maxParallelTasks", body.path("maxParallelTasks").asInt(-1));
        stored.put("allowTaskPreemption", body.path("allowTaskPreemption").asBoolean(false));
        stored.put("usesTaskDependencies", body.path("usesTaskDependencies").asBoolean(false));
        stored.put("onAllTasksComplete", body.path("onAllTasksComplete").asText("noaction"));
        stored.put("onTaskFailure", body.path("onTaskFailure").asText("noaction"));
        ObjectNode constraints = stored.with("constraints");
        if (!constraints.has("maxWallClockTime")) {
            constraints.put("maxWallClockTime", UNLIMITED);
        }
        if (!constraints.has("maxTaskRetryCount")) {
            constraints.put("maxTaskRetryCount", 0);
        }
        return stored;
    }

    /** Validates a patch (only the given properties change) or update (poolInfo required, the rest reset). */
    static void validateChange(ObjectNode body, boolean replaceAll) {
        BodyChecks.rejectUnknown(body, CHANGE_PROPERTIES, "");
        if (replaceAll && (body.get("poolInfo") == null || body.get("poolInfo").isNull())) {
            throw BatchException.missingProperty("poolInfo");
        }
        if (body.has("poolInfo")) {
            validatePoolInfo(body.get("poolInfo"));
        }
        validateCommon(body);
    }

    private static void validateCommon(ObjectNode body) {
        optionalInt(body, "priority", -1000, 1000);
        if (body.has("maxParallelTasks")) {
            int value = requireInt(body, "maxParallelTasks");
            if (value != -1 && value < 1) {
                throw BatchException.invalidProperty("maxParallelTasks", Integer.toString(value),
                        "maxParallelTasks must be -1 (no limit) or at least 1.");
            }
        }
        optionalBoolean(body, "allowTaskPreemption");
        optionalEnum(body, "onAllTasksComplete", ON_ALL_TASKS_COMPLETE);
        JsonNode constraints = body.get("constraints");
        if (constraints != null && !constraints.isNull()) {
            if (!constraints.isObject()) {
                throw BatchException.invalidProperty("constraints", constraints.toString(), "constraints must be an object.");
            }
            if (constraints.has("maxTaskRetryCount")
                    && (!constraints.get("maxTaskRetryCount").canConvertToInt()
                            || constraints.get("maxTaskRetryCount").asInt() < -1)) {
                throw BatchException.invalidProperty("constraints.maxTaskRetryCount",
                        constraints.get("maxTaskRetryCount").toString(), "maxTaskRetryCount must be -1 or more.");
            }
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isArray()) {
                throw BatchException.invalidProperty("metadata", metadata.toString(), "metadata must be a list of name/value pairs.");
            }
            for (JsonNode item : metadata) {
                if (!item.path("name").isTextual() || !item.path("value").isTextual()) {
                    throw BatchException.invalidProperty("metadata", item.toString(), "Each metadata item needs a name and a value.");
                }
            }
        }
    }

    private static void validatePoolInfo(JsonNode poolInfo) {
        if (!poolInfo.isObject()) {
            throw BatchException.invalidProperty("poolInfo", poolInfo.toString(), "poolInfo must be an object.");
        }
        boolean hasPool = poolInfo.path("poolId").isTextual();
        boolean hasAutoPool = poolInfo.path("autoPoolSpecification").isObject();
        if (hasPool == hasAutoPool) {
            throw BatchException.invalidProperty("poolInfo", poolInfo.toString(),
                    "Specify exactly one of poolInfo.poolId and poolInfo.autoPoolSpecification.");
        }
        if (hasPool) {
            BatchIds.require("poolInfo.poolId", poolInfo.get("poolId").asText());
        }
    }

    private static int requireInt(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be an integer.");
        }
        return value.asInt();
    }

    private static void optionalInt(ObjectNode body, String name, int min, int max) {
        if (body.has(name) && !body.get(name).isNull()) {
            int value = requireInt(body, name);
            if (value < min || value > max) {
                throw BatchException.invalidProperty(name, Integer.toString(value),
                        name + " must be between " + min + " and " + max + ".");
            }
        }
    }

    private static void optionalBoolean(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be true or false.");
        }
    }

    private static void optionalEnum(ObjectNode body, String name, Set<String> allowed) {
        JsonNode value = body.get(name);
        if (value != null && !value.isNull() && !(value.isTextual() && allowed.contains(value.asText()))) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be one of " + allowed + ".");
        }
    }
}
