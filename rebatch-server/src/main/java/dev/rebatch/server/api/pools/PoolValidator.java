package dev.rebatch.server.api.pools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.BodyChecks;
import dev.rebatch.server.http.BatchException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Checks pool bodies against the spec (PoolAddParameter, PoolPatchParameter, PoolUpdatePropertiesParameter,
 * PoolResizeParameter) before anything is stored, and fills the spec's defaults. Nested objects the service only
 * stores and echoes (network, mounts, user accounts...) are checked for shape, not content: nothing acts on them
 * until nodes exist.
 */
final class PoolValidator {

    /** The spec's default resize timeout, and its minimum (PoolAddParameter.resizeTimeout). */
    static final String DEFAULT_RESIZE_TIMEOUT = "PT15M";
    private static final Duration MIN_RESIZE_TIMEOUT = Duration.ofMinutes(5);
    /** Batch caps task slots at 4 x the node's cores or 256; without node sizes, 256 is the cap we can check. */
    private static final int MAX_TASK_SLOTS = 256;

    private static final Set<String> ADD_PROPERTIES = Set.of("id", "displayName", "vmSize",
            "virtualMachineConfiguration", "resizeTimeout", "targetDedicatedNodes", "targetLowPriorityNodes",
            "enableAutoScale", "autoScaleFormula", "autoScaleEvaluationInterval", "enableInterNodeCommunication",
            "networkConfiguration", "startTask", "certificateReferences", "applicationPackageReferences",
            "taskSlotsPerNode", "taskSchedulingPolicy", "userAccounts", "metadata", "mountConfiguration",
            "targetNodeCommunicationMode", "upgradePolicy", "resourceTags");
    private static final Set<String> PATCH_PROPERTIES = Set.of("startTask", "certificateReferences",
            "applicationPackageReferences", "metadata", "targetNodeCommunicationMode", "displayName", "vmSize",
            "taskSlotsPerNode", "taskSchedulingPolicy", "enableInterNodeCommunication", "virtualMachineConfiguration",
            "networkConfiguration", "userAccounts", "mountConfiguration", "upgradePolicy", "resourceTags");
    private static final Set<String> UPDATE_PROPERTIES = Set.of("startTask", "certificateReferences",
            "applicationPackageReferences", "metadata", "targetNodeCommunicationMode");
    private static final Set<String> RESIZE_PROPERTIES = Set.of("targetDedicatedNodes", "targetLowPriorityNodes",
            "resizeTimeout", "nodeDeallocationOption");

    private static final Set<String> NODE_FILL_TYPES = Set.of("spread", "pack");
    private static final Set<String> COMMUNICATION_MODES = Set.of("default", "classic", "simplified");
    private static final Set<String> DEALLOCATION_OPTIONS = Set.of("requeue", "terminate", "taskcompletion",
            "retaineddata");

    private PoolValidator() {}

    /** A valid PoolAddParameter with the spec's defaults filled in. */
    static ObjectNode validateAdd(ObjectNode body) {
        BodyChecks.rejectUnknown(body, ADD_PROPERTIES, "");
        BatchIds.require("id", BodyChecks.requireText(body, "id"));
        BodyChecks.requireText(body, "vmSize");
        BodyChecks.optionalText(body, "displayName", 1024);
        nodeCount(body, "targetDedicatedNodes");
        nodeCount(body, "targetLowPriorityNodes");
        resizeTimeout(body);
        autoScale(body);
        validateShared(body);
        putDefault(body, "targetDedicatedNodes", 0);
        putDefault(body, "targetLowPriorityNodes", 0);
        if (!present(body, "resizeTimeout")) {
            body.put("resizeTimeout", DEFAULT_RESIZE_TIMEOUT);
        }
        if (!present(body, "enableAutoScale")) {
            body.put("enableAutoScale", false);
        }
        if (!present(body, "enableInterNodeCommunication")) {
            body.put("enableInterNodeCommunication", false);
        }
        putDefault(body, "taskSlotsPerNode", 1);
        if (!present(body, "taskSchedulingPolicy")) {
            body.putObject("taskSchedulingPolicy").put("nodeFillType", "spread");
        }
        if (!present(body, "targetNodeCommunicationMode")) {
            body.put("targetNodeCommunicationMode", "default");
        }
        return body;
    }

    /** PoolPatchParameter: each property present replaces the pool's, the others stay. */
    static void validatePatch(ObjectNode body) {
        BodyChecks.rejectUnknown(body, PATCH_PROPERTIES, "");
        BodyChecks.optionalText(body, "displayName", 1024);
        if (body.has("vmSize")) {
            BodyChecks.requireText(body, "vmSize");
        }
        validateShared(body);
    }

    /** PoolUpdatePropertiesParameter: the three lists are required, since the update replaces them all. */
    static void validateUpdateProperties(ObjectNode body) {
        BodyChecks.rejectUnknown(body, UPDATE_PROPERTIES, "");
        for (String required : new String[] {"certificateReferences", "applicationPackageReferences", "metadata"}) {
            if (!present(body, required)) {
                throw BatchException.missingProperty(required);
            }
        }
        validateShared(body);
    }

    static void validateResize(ObjectNode body) {
        BodyChecks.rejectUnknown(body, RESIZE_PROPERTIES, "");
        nodeCount(body, "targetDedicatedNodes");
        nodeCount(body, "targetLowPriorityNodes");
        resizeTimeout(body);
        optionalEnum(body, "nodeDeallocationOption", DEALLOCATION_OPTIONS);
    }

    /** The properties add, patch and update-properties have in common. */
    private static void validateShared(ObjectNode body) {
        if (present(body, "taskSlotsPerNode")) {
            int slots = requireInt(body, "taskSlotsPerNode");
            if (slots < 1 || slots > MAX_TASK_SLOTS) {
                throw BatchException.invalidProperty("taskSlotsPerNode", Integer.toString(slots),
                        "taskSlotsPerNode must be between 1 and " + MAX_TASK_SLOTS + ".");
            }
        }
        if (present(body, "taskSchedulingPolicy")) {
            ObjectNode policy = requireObject(body, "taskSchedulingPolicy");
            JsonNode fill = policy.get("nodeFillType");
            if (fill == null || fill.isNull()) {
                throw BatchException.missingProperty("taskSchedulingPolicy.nodeFillType");
            }
            if (!(fill.isTextual() && NODE_FILL_TYPES.contains(fill.asText()))) {
                throw BatchException.invalidProperty("taskSchedulingPolicy.nodeFillType", fill.toString(),
                        "nodeFillType must be one of " + NODE_FILL_TYPES + ".");
            }
        }
        if (present(body, "virtualMachineConfiguration")) {
            ObjectNode vm = requireObject(body, "virtualMachineConfiguration");
            if (!vm.path("imageReference").isObject()) {
                throw BatchException.missingProperty("virtualMachineConfiguration.imageReference");
            }
            if (!vm.path("nodeAgentSKUId").isTextual()) {
                throw BatchException.missingProperty("virtualMachineConfiguration.nodeAgentSKUId");
            }
        }
        if (present(body, "startTask") && !requireObject(body, "startTask").path("commandLine").isTextual()) {
            throw BatchException.missingProperty("startTask.commandLine");
        }
        for (String object : new String[] {"networkConfiguration", "upgradePolicy", "resourceTags"}) {
            if (present(body, object)) {
                requireObject(body, object);
            }
        }
        for (String list : new String[] {"certificateReferences", "userAccounts", "mountConfiguration"}) {
            if (present(body, list)) {
                requireArray(body, list);
            }
        }
        if (present(body, "applicationPackageReferences")) {
            for (JsonNode reference : requireArray(body, "applicationPackageReferences")) {
                if (!reference.path("applicationId").isTextual()) {
                    throw BatchException.invalidProperty("applicationPackageReferences", reference.toString(),
                            "Each application package reference needs an applicationId.");
                }
            }
        }
        if (present(body, "metadata")) {
            for (JsonNode item : requireArray(body, "metadata")) {
                if (!item.path("name").isTextual() || !item.path("value").isTextual()) {
                    throw BatchException.invalidProperty("metadata", item.toString(), "Each metadata item needs a name and a value.");
                }
            }
        }
        optionalBoolean(body, "enableInterNodeCommunication");
        optionalEnum(body, "targetNodeCommunicationMode", COMMUNICATION_MODES);
    }

    /**
     * Autoscale needs a formula evaluator the service does not have yet, so it is refused outright rather than
     * accepted and silently left at the fixed targets.
     */
    private static void autoScale(ObjectNode body) {
        optionalBoolean(body, "enableAutoScale");
        if (body.path("enableAutoScale").asBoolean(false)) {
            throw BatchException.invalidProperty("enableAutoScale", "true",
                    "Autoscale pools are not supported by this service yet; set targetDedicatedNodes and "
                            + "targetLowPriorityNodes instead.");
        }
        for (String autoScaleOnly : new String[] {"autoScaleFormula", "autoScaleEvaluationInterval"}) {
            if (present(body, autoScaleOnly)) {
                throw BatchException.invalidProperty(autoScaleOnly, body.get(autoScaleOnly).toString(),
                        autoScaleOnly + " may only be given when enableAutoScale is true.");
            }
        }
    }

    private static void nodeCount(ObjectNode body, String name) {
        if (present(body, name) && requireInt(body, name) < 0) {
            throw BatchException.invalidProperty(name, body.get(name).toString(), name + " must be 0 or more.");
        }
    }

    private static void resizeTimeout(ObjectNode body) {
        if (!present(body, "resizeTimeout")) {
            return;
        }
        JsonNode value = body.get("resizeTimeout");
        Duration timeout;
        try {
            timeout = Duration.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw BatchException.invalidProperty("resizeTimeout", value.toString(),
                    "resizeTimeout must be an ISO 8601 duration such as PT15M.");
        }
        if (!value.isTextual() || timeout.compareTo(MIN_RESIZE_TIMEOUT) < 0) {
            throw BatchException.invalidProperty("resizeTimeout", value.toString(),
                    "resizeTimeout must be at least 5 minutes.");
        }
    }

    private static boolean present(ObjectNode body, String name) {
        return body.has(name) && !body.get(name).isNull();
    }

    private static void putDefault(ObjectNode body, String name, int value) {
        if (!present(body, name)) {
            body.put(name, value);
        }
    }

    private static int requireInt(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be an integer.");
        }
        return value.asInt();
    }

    private static ObjectNode requireObject(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        if (!value.isObject()) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be an object.");
        }
        return (ObjectNode) value;
    }

    private static JsonNode requireArray(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        if (!value.isArray()) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be a list.");
        }
        return value;
    }

    private static void optionalBoolean(ObjectNode body, String name) {
        if (present(body, name) && !body.get(name).isBoolean()) {
            throw BatchException.invalidProperty(name, body.get(name).toString(), name + " must be true or false.");
        }
    }

    private static void optionalEnum(ObjectNode body, String name, Set<String> allowed) {
        JsonNode value = body.get(name);
        if (value != null && !value.isNull() && !(value.isTextual() && allowed.contains(value.asText()))) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be one of " + allowed + ".");
        }
    }
}
