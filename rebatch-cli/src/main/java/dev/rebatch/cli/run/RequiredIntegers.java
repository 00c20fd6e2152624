package dev.rebatch.cli.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The integer properties that Java reads as {@code int}: the mapper would read a missing one as 0, so they are
 * checked on the tree first, to be there and to be integers.
 */
final class RequiredIntegers {

    private final JobFileErrors errors;

    RequiredIntegers(JobFileErrors errors) {
        this.errors = errors;
    }

    /** The integer {@code name} of the object {@code parent}, at {@code parentPath}. */
    int require(JsonNode parent, String name, JsonPath parentPath) throws JobFileException {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw errors.at(parentPath, "\"" + name + "\" is missing");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw errors.expected(parentPath.property(name), "an integer", value);
        }
        return value.asInt();
    }

    /** Those of a task: its dependency ranges' start and end, its exit codes, its exit code ranges' start and end. */
    void requireInTask(JsonNode task, JsonPath path) throws JobFileException {
        requireInEach(task.path("dependsOn").path("taskIdRanges"),
                path.property("dependsOn").property("taskIdRanges"), "start", "end");
        JsonNode conditions = task.path("exitConditions");
        JsonPath conditionsPath = path.property("exitConditions");
        requireInEach(conditions.path("exitCodes"), conditionsPath.property("exitCodes"), "code");
        requireInEach(conditions.path("exitCodeRanges"), conditionsPath.property("exitCodeRanges"), "start", "end");
    }

    /** {@code names} in each object of {@code list} (when it is a list: the mapper reports other shapes). */
    private void requireInEach(JsonNode list, JsonPath listPath, String... names) throws JobFileException {
        for (int index = 0; list.isArray() && index < list.size(); index++) {
            if (list.get(index).isObject()) {
                for (String name : names) {
                    require(list.get(index), name, listPath.index(index));
                }
            }
        }
    }
}
