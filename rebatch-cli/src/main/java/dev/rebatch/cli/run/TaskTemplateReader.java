package dev.rebatch.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.task.TaskSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The file's "taskTemplate", one or a list: each checked as a template (an idPattern with {i}, a range of i,
 * placeholders that can be filled in), then expanded into its tasks by {@link TaskTemplate}. Its own properties are
 * taken out before the rest is read as a task, since a task has neither.
 */
final class TaskTemplateReader {

    private static final JsonPath TEMPLATE = JsonPath.ROOT.property("taskTemplate");

    private final StrictBatchMapper mapper;
    private final JobFileErrors errors;
    private final RequiredIntegers integers;

    TaskTemplateReader(StrictBatchMapper mapper, JobFileErrors errors) {
        this.mapper = mapper;
        this.errors = errors;
        this.integers = new RequiredIntegers(errors);
    }

    /** The values of i, both ends included. */
    private record Range(int start, int end) {}

    /** Every template's tasks, template by template in the order of i; none when {@code node} is absent or null. */
    List<TaskInFile> read(JsonNode node) throws JobFileException {
        List<TaskInFile> tasks = new ArrayList<>();
        if (node == null || node.isNull()) {
            return tasks;
        }
        if (node.isArray()) {
            for (int index = 0; index < node.size(); index++) {
                expand(node.get(index), TEMPLATE.index(index), tasks);
            }
        } else {
            expand(node, TEMPLATE, tasks);
        }
        return tasks;
    }

    private void expand(JsonNode node, JsonPath path, List<TaskInFile> tasks) throws JobFileException {
        if (!node.isObject()) {
            throw errors.expected(path, "a task template (an object with idPattern, range and the task's properties)",
                    node);
        }
        String idPattern = idPattern(node, path);
        Range range = range(node.get("range"), path);
        ObjectNode properties = ((ObjectNode) node).deepCopy();
        properties.remove(List.of("idPattern", "range"));
        TaskSpec base = mapper.task(properties, path, "a task template");
        checkPlaceholders(base.commandLine(), path.property("commandLine"));
        checkPlaceholders(base.displayName(), path.property("displayName"));
        if (base.environmentSettings() != null) {
            for (int index = 0; index < base.environmentSettings().size(); index++) {
                checkPlaceholders(base.environmentSettings().get(index).value(),
                        path.property("environmentSettings").index(index).property("value"));
            }
        }
        TaskTemplate template = new TaskTemplate(idPattern, range.start(), range.end(), base);
        for (long i = range.start(); i <= range.end(); i++) {
            tasks.add(new TaskInFile(template.task((int) i), path, (int) i));
        }
    }

    private String idPattern(JsonNode template, JsonPath path) throws JobFileException {
        if (template.has("id")) {
            throw errors.at(path.property("id"),
                    "a template has \"idPattern\" instead of \"id\", such as \"frame-{i}\"");
        }
        JsonNode pattern = template.get("idPattern");
        JsonPath patternPath = path.property("idPattern");
        if (pattern == null || pattern.isNull()) {
            throw errors.at(path, "a template needs \"idPattern\", the tasks' id with {i}, such as \"frame-{i}\"");
        }
        if (!pattern.isTextual()) {
            throw errors.expected(patternPath, "a string such as \"frame-{i}\"", pattern);
        }
        String idPattern = pattern.asText();
        checkPlaceholders(idPattern, patternPath);
        if (!TaskTemplate.hasPlaceholder(idPattern)) {
            throw errors.at(patternPath, "\"" + idPattern + "\" has no {i}: every task would have the same id; "
                    + "write it as \"" + idPattern + "-{i}\"");
        }
        return idPattern;
    }

    /** The template's "range", which {@link TaskTemplate} would refuse too, but without saying where. */
    private Range range(JsonNode range, JsonPath templatePath) throws JobFileException {
        JsonPath path = templatePath.property("range");
        if (range == null || range.isNull()) {
            throw errors.at(templatePath, "a template needs \"range\": {\"start\": 1, \"end\": N}, the values of i");
        }
        if (!range.isObject()) {
            throw errors.expected(path, "{\"start\": 1, \"end\": N}", range);
        }
        for (Iterator<String> names = range.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("start") && !name.equals("end")) {
                throw errors.at(path.property(name), "unknown property \"" + name + "\": a range has start and end");
            }
        }
        int start = integers.require(range, "start", path);
        int end = integers.require(range, "end", path);
        if (start > end) {
            throw errors.at(path, "start " + start + " is after end " + end);
        }
        if ((long) end - start + 1 > TaskTemplate.MAX_TASKS) {
            throw errors.at(path, "the range makes " + ((long) end - start + 1) + " tasks; a template makes at most "
                    + TaskTemplate.MAX_TASKS);
        }
        return new Range(start, end);
    }

    /** A placeholder other than {i} or {i:0N}, reported where the text is. */
    private void checkPlaceholders(String text, JsonPath path) throws JobFileException {
        try {
            TaskTemplate.checkPlaceholders(text);
        } catch (IllegalArgumentException malformed) {
            throw errors.at(path, malformed.getMessage());
        }
    }
}
