package dev.rebatch.server.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.BodyChecks;
import dev.rebatch.server.execution.TaskIdRange;
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
    /**
     * "The taskIds collection is limited to 64000 characters total (i.e. the combined length of all Task IDs)"
     * (spec TaskDependencies.taskIds); beyond it Batch answers TaskDependencyListTooLong.
     */
    static final int MAX_DEPENDENCY_ID_CHARACTERS = 64_000;
    /**
     * Batch refuses "too many" ranges with TaskDependencyRangesTooLong ("the issue is not with the size of ranges,
     * but with the number of ranges", Batch Status and Error Codes) without saying how many. This is Rebatch's
     * number: generous for ranges built from id lists too long for taskIds, and it bounds the work of deciding
     * whether a dependent may run.
     */
    static final int MAX_DEPENDENCY_RANGES = 2_000;
    private static final Set<String> DEPENDS_ON_PROPERTIES = Set.of("taskIds", "taskIdRanges");
    private static final Set<String> RANGE_PROPERTIES = Set.of("start", "end");
    private static final Set<String> EXIT_CONDITIONS_PROPERTIES = Set.of("exitCodes", "exitCodeRanges",
            "preProcessingError", "fileUploadError", "default");
    private static final Set<String> EXIT_CODE_PROPERTIES = Set.of("code", "exitOptions");
    private static final Set<String> EXIT_CODE_RANGE_PROPERTIES = Set.of("start", "end", "exitOptions");
    private static final Set<String> EXIT_OPTIONS_PROPERTIES = Set.of("jobAction", "dependencyAction");
    private static final Set<String> JOB_ACTIONS = Set.of("none", "disable", "terminate");
    private static final Set<String> DEPENDENCY_ACTIONS = Set.of("satisfy", "block");

    private TaskValidator() {}

    /**
     * What of its job a task is checked against. Neither can change once the job exists (JobPatchParameter and
     * JobUpdateParameter have neither), so a check at add time holds for the task's life.
     *
     * @param usesTaskDependencies         whether the job allows dependsOn and dependencyAction
     * @param performsExitOptionsJobAction whether its onTaskFailure is performexitoptionsjobaction, which
     *                                     exitConditions' jobAction needs
     */
    record JobSettings(boolean usesTaskDependencies, boolean performsExitOptionsJobAction) {

        static JobSettings of(ObjectNode job) {
            return new JobSettings(job.path("usesTaskDependencies").asBoolean(false),
                    "performexitoptionsjobaction".equals(job.path("onTaskFailure").asText()));
        }
    }

    /** Validates one task of an add or an add collection to a job with {@code job}'s settings. */
    static ObjectNode validateAdd(JsonNode task, JobSettings job) {
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
            if (!job.usesTaskDependencies()) {
                throw new BatchException(BatchErrorCode.TaskDependenciesNotSpecifiedOnJob,
                        "The task has dependencies, but its job was not created with usesTaskDependencies set to true.");
            }
            validateDependencies(dependsOn, body.get("id").asText());
        }
        validateExitConditions(body.get("exitConditions"), job);
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

    /**
     * dependsOn: task ids and ranges of integer ids, within Batch's limits. A parent need not exist yet (see
     * {@link dev.rebatch.server.execution.TaskDependencies}). A task may not depend on itself, by id or through a
     * range holding its own integer id: it could never run. Longer cycles are not looked for: Batch documents no
     * error for them, and finding one means reading the job's whole dependency graph on every add; the tasks on a
     * cycle wait forever, as the dependents of a blocking parent do.
     */
    private static void validateDependencies(JsonNode dependsOn, String taskId) {
        if (!dependsOn.isObject()) {
            throw BatchException.invalidProperty("dependsOn", dependsOn.toString(), "dependsOn must be an object.");
        }
        BodyChecks.rejectUnknown((ObjectNode) dependsOn, DEPENDS_ON_PROPERTIES, "dependsOn.");
        JsonNode taskIds = optionalArray(dependsOn, "taskIds", "dependsOn.taskIds");
        long idCharacters = 0;
        for (JsonNode parent : taskIds) {
            if (!parent.isTextual() || !BatchIds.isValid(parent.asText())) {
                throw BatchException.invalidProperty("dependsOn.taskIds", parent.toString(), "Each dependency must be a task id.");
            }
            if (parent.asText().equalsIgnoreCase(taskId)) {
                throw BatchException.invalidProperty("dependsOn.taskIds", parent.asText(), "A task cannot depend on itself.");
            }
            idCharacters += parent.asText().length();
        }
        if (idCharacters > MAX_DEPENDENCY_ID_CHARACTERS) {
            throw new BatchException(BatchErrorCode.TaskDependencyListTooLong,
                    "The list of task dependencies is too long to be stored.",
                    BatchException.detail("Reason", "The ids in dependsOn.taskIds total " + idCharacters
                            + " characters; at most " + MAX_DEPENDENCY_ID_CHARACTERS
                            + " are allowed. Consider task id ranges instead."));
        }
        JsonNode ranges = optionalArray(dependsOn, "taskIdRanges", "dependsOn.taskIdRanges");
        if (ranges.size() > MAX_DEPENDENCY_RANGES) {
            throw new BatchException(BatchErrorCode.TaskDependencyRangesTooLong,
                    "The list of task id ranges is too long to be stored.",
                    BatchException.detail("Reason", "dependsOn.taskIdRanges has " + ranges.size()
                            + " ranges; at most " + MAX_DEPENDENCY_RANGES + " are allowed."));
        }
        for (JsonNode range : ranges) {
            int[] bounds = validateRange(range, "dependsOn.taskIdRanges", RANGE_PROPERTIES);
            if (new TaskIdRange(bounds[0], bounds[1]).contains(taskId)) {
                throw BatchException.invalidProperty("dependsOn.taskIdRanges", range.toString(),
                        "A task cannot depend on itself: the range holds its own id.");
            }
        }
    }

    /**
     * exitConditions (spec ExitConditions). A jobAction anywhere needs the job's onTaskFailure to be
     * performexitoptionsjobaction ("If the Job's onTaskFailed property is noaction, then specifying this property
     * returns an error and the add Task request fails with an invalid property value error", spec
     * ExitOptions.jobAction); a dependencyAction needs a job with usesTaskDependencies ("If the job's
     * UsesTaskDependencies is false, you cannot add a task with this property set", Batch .NET
     * ExitOptions.DependencyAction).
     */
    private static void validateExitConditions(JsonNode conditions, JobSettings job) {
        if (conditions == null || conditions.isNull()) {
            return;
        }
        if (!conditions.isObject()) {
            throw BatchException.invalidProperty("exitConditions", conditions.toString(), "exitConditions must be an object.");
        }
        BodyChecks.rejectUnknown((ObjectNode) conditions, EXIT_CONDITIONS_PROPERTIES, "exitConditions.");
        for (JsonNode mapping : optionalArray(conditions, "exitCodes", "exitConditions.exitCodes")) {
            String path = "exitConditions.exitCodes";
            requireObject(mapping, path);
            BodyChecks.rejectUnknown((ObjectNode) mapping, EXIT_CODE_PROPERTIES, path + ".");
            requireInt(mapping, "code", path + ".code");
            validateExitOptions(requireProperty(mapping, "exitOptions", path + ".exitOptions"), path + ".exitOptions", job);
        }
        for (JsonNode mapping : optionalArray(conditions, "exitCodeRanges", "exitConditions.exitCodeRanges")) {
            String path = "exitConditions.exitCodeRanges";
            validateRange(mapping, path, EXIT_CODE_RANGE_PROPERTIES);
            validateExitOptions(requireProperty(mapping, "exitOptions", path + ".exitOptions"), path + ".exitOptions", job);
        }
        for (String condition : new String[] {"preProcessingError", "fileUploadError", "default"}) {
            JsonNode options = conditions.get(condition);
            if (options != null && !options.isNull()) {
                validateExitOptions(options, "exitConditions." + condition, job);
            }
        }
    }

    private static void validateExitOptions(JsonNode options, String path, JobSettings job) {
        requireObject(options, path);
        BodyChecks.rejectUnknown((ObjectNode) options, EXIT_OPTIONS_PROPERTIES, path + ".");
        JsonNode jobAction = options.get("jobAction");
        if (jobAction != null && !jobAction.isNull()) {
            requireOneOf(jobAction, JOB_ACTIONS, path + ".jobAction");
            if (!job.performsExitOptionsJobAction()) {
                throw BatchException.invalidProperty(path + ".jobAction", jobAction.asText(),
                        "A jobAction needs the job's onTaskFailure to be performexitoptionsjobaction.");
            }
        }
        JsonNode dependencyAction = options.get("dependencyAction");
        if (dependencyAction != null && !dependencyAction.isNull()) {
            requireOneOf(dependencyAction, DEPENDENCY_ACTIONS, path + ".dependencyAction");
            if (!job.usesTaskDependencies()) {
                throw BatchException.invalidProperty(path + ".dependencyAction", dependencyAction.asText(),
                        "A dependencyAction needs a job created with usesTaskDependencies set to true.");
            }
        }
    }

    /** A {start, end} object (more properties allowed by {@code known}), both required integers, start <= end. */
    private static int[] validateRange(JsonNode range, String path, Set<String> known) {
        requireObject(range, path);
        BodyChecks.rejectUnknown((ObjectNode) range, known, path + ".");
        int start = requireInt(range, "start", path + ".start");
        int end = requireInt(range, "end", path + ".end");
        if (start > end) {
            throw BatchException.invalidProperty(path, range.toString(), "A range's start may not be after its end.");
        }
        return new int[] {start, end};
    }

    /** The array {@code name} of {@code parent}, or an empty one when absent. */
    private static JsonNode optionalArray(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            return MissingNode.getInstance();
        }
        if (!value.isArray()) {
            throw BatchException.invalidProperty(path, value.toString(), name + " must be a list.");
        }
        return value;
    }

    private static JsonNode requireProperty(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw BatchException.missingProperty(path);
        }
        return value;
    }

    private static int requireInt(JsonNode parent, String name, String path) {
        JsonNode value = requireProperty(parent, name, path);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw BatchException.invalidProperty(path, value.toString(), name + " must be a 32-bit integer.");
        }
        return value.asInt();
    }

    private static void requireObject(JsonNode value, String path) {
        if (!value.isObject()) {
            throw BatchException.invalidProperty(path, value.toString(), "Each entry must be an object.");
        }
    }

    private static void requireOneOf(JsonNode value, Set<String> allowed, String path) {
        if (!value.isTextual() || !allowed.contains(value.asText())) {
            throw BatchException.invalidProperty(path, value.toString(), path + " must be one of " + allowed + ".");
        }
    }
}
