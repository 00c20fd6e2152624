package dev.rebatch.server.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.BodyChecks;
import dev.rebatch.server.http.BatchException;
import java.util.Set;

/** Checks task bodies against the spec (TaskAddParameter, TaskUpdateParameter) before anything is stored. */
final class TaskValidator {

    private static final Set<String> ADD_PROPERTIES = Set.of("id", "displayName", "commandLine", "containerSettings",
            "exitConditions", "resourceFiles", "outputFiles", "environmentSettings", "affinityInfo", "constraints",
            "requiredSlots", "userIdentity", "multiInstanceSettings", "dependsOn", "applicationPackageReferences",
            "authenticationTokenSettings");
    private static final Set<String> CONSTRAINT_PROPERTIES = Set.of("maxWallClockTime", "retentionTime",
            "maxTaskRetryCount");
    /** Batch's documented limit for a command line. */
    private static final int MAX_COMMAND_LINE = 8192;

    private TaskValidator() {}

    /**
     * Validates one task of an add or an add collection.
     *
     * @param usesTaskDependencies whether the job allows dependsOn
     */
    static ObjectNode validateAdd(JsonNode task, boolean usesTaskDependencies) {
        if (task == null || !task.isObject()) {
            throw new BatchException(BatchErrorCode.InvalidRequestBody,
                    "The specified Request Body is not syntactically valid.",
                    BatchException.detail("Reason", "A task must be a JSON object."));
        }
        ObjectNode body = (ObjectNode) task;
        BodyChecks.rejectUnknown(body, ADD_PROPERTIES, "");
        BatchIds.require("id", BodyChecks.requireText(body, "id"));
        String commandLine = BodyChecks.requireText(body, "commandLine");
        if (commandLine.isBlank() || commandLine.length() > MAX_COMMAND_LINE) {
            throw BatchException.invalidProperty("commandLine", commandLine.length() > 64 ? commandLine.substring(0, 64) + "..." : commandLine,
                    "commandLine must not be blank and may have at most " + MAX_COMMAND_LINE + " characters.");
        }
        BodyChecks.optionalText(body, "displayName", 1024);
        validateConstraints(body.get("constraints"));
        validateEnvironment(body.get("environmentSettings"));
        if (body.has("requiredSlots") && !body.get("requiredSlots").isNull()
                && (!body.get("requiredSlots").canConvertToInt() || body.get("requiredSlots").asInt() < 1)) {
            throw BatchException.invalidProperty("requiredSlots", body.get("requiredSlots").toString(), "requiredSlots must be at least 1.");
        }
        JsonNode dependsOn = body.get("dependsOn");
        if (dependsOn != null && !dependsOn.isNull()) {
            if (!usesTaskDependencies) {
                throw new BatchException(BatchErrorCode.TaskDependenciesNotSpecifiedOnJob,
                        "The task has dependencies, but its job was not created with usesTaskDependencies set to true.");
            }
            validateDependencies(dependsOn, body.get("id").asText());
        }
        ObjectNode stored = body.deepCopy();
        stored.put("requiredSlots", body.path("requiredSlots").asInt(1));
        return stored;
    }

    static void validateUpdate(ObjectNode body) {
        BodyChecks.rejectUnknown(body, Set.of("constraints"), "");
        validateConstraints(body.get("constraints"));
    }

    private static void validateConstraints(JsonNode constraints) {
        if (constraints == null || constraints.isNull()) {
            return;
        }
        if (!constraints.isObject()) {
            throw BatchException.invalidProperty("constraints", constraints.toString(), "constraints must be an object.");
        }
        BodyChecks.rejectUnknown((ObjectNode) constraints, CONSTRAINT_PROPERTIES, "constraints.");
        JsonNode retries = constraints.get("maxTaskRetryCount");
        if (retries != null && !retries.isNull() && (!retries.canConvertToInt() || retries.asInt() < -1)) {
            throw BatchException.invalidProperty("constraints.maxTaskRetryCount", retries.toString(),
                    "maxTaskRetryCount must be -1 (no limit) or more.");
        }
        for (String duration : new String[] {"maxWallClockTime", "retentionTime"}) {
            JsonNode value = constraints.get(duration);
            if (value != null && !value.isNull() && !(value.isTextual() && value.asText().startsWith("P"))) {
                throw BatchException.invalidProperty("constraints." + duration, value.toString(),
                        duration + " must be an ISO 8601 duration such as PT1H.");
            }
        }
    }

    private static void validateEnvironment(JsonNode settings) {
        if (settings == null || settings.isNull()) {
            return;
        }
        if (!settings.isArray()) {
            throw BatchException.invalidProperty("environmentSettings", settings.toString(), "environmentSettings must be a list.");
        }
        for (JsonNode setting : settings) {
            if (!setting.path("name").isTextual() || setting.path("name").asText().isEmpty()) {
                throw BatchException.missingProperty("environmentSettings.name");
            }
        }
    }

    private static void validateDependencies(JsonNode dependsOn, String taskId) {
        if (!dependsOn.isObject()) {
            throw BatchException.invalidProperty("dependsOn", dependsOn.toString(), "dependsOn must be an object.");
        }
        for (JsonNode parent : dependsOn.path("taskIds")) {
            if (!parent.isTextual() || !BatchIds.isValid(parent.asText())) {
                throw BatchException.invalidProperty("dependsOn.taskIds", parent.toString(), "Each dependency must be a task id.");
            }
            if (parent.asText().equalsIgnoreCase(taskId)) {
                throw BatchException.invalidProperty("dependsOn.taskIds", parent.asText(), "A task cannot depend on itself.");
            }
        }
        for (JsonNode range : dependsOn.path("taskIdRanges")) {
            if (!range.path("start").canConvertToInt() || !range.path("end").canConvertToInt()
                    || range.path("start").asInt() > range.path("end").asInt()) {
                throw BatchException.invalidProperty("dependsOn.taskIdRanges", range.toString(),
                        "A range needs integer start and end, with start <= end.");
            }
        }
    }
}
