package dev.rebatch.cli.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * The first stage of reading a job file: the text as one JSON object holding only a job file's top-level
 * properties. Text that is not JSON is reported at the parser's line and column; the later stages work on the tree.
 */
final class JobFileSyntax {

    static final List<String> TOP_LEVEL = List.of("pool", "job", "tasks", "taskTemplate", "description");

    /** What a job file looks like, told when the text is not one. */
    private static final String SHAPE = "{\"pool\": {...}, \"job\": {...}, \"tasks\": [...], \"taskTemplate\": {...}} "
            + "(pool and job are optional; tasks, taskTemplate or both)";

    private final JobFileErrors errors;

    JobFileSyntax(JobFileErrors errors) {
        this.errors = errors;
    }

    ObjectNode parse(byte[] content) throws JobFileException {
        JsonNode tree;
        try {
            // The strict mapper also refuses duplicate keys and anything after the object.
            tree = StrictBatchMapper.STRICT.readTree(content);
        } catch (JsonProcessingException notJson) {
            int line = notJson.getLocation() == null ? 0 : notJson.getLocation().getLineNr();
            int column = notJson.getLocation() == null ? 0 : notJson.getLocation().getColumnNr();
            throw errors.inText(line, column, "not valid JSON: " + notJson.getOriginalMessage());
        } catch (IOException unreadable) {
            throw errors.inText(0, 0, "cannot read it: " + unreadable.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw errors.inText(0, 0, "the file is empty: " + SHAPE);
        }
        if (!tree.isObject()) {
            throw errors.at(JsonPath.ROOT, "a job file is one JSON object: " + SHAPE);
        }
        for (Iterator<String> names = tree.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!TOP_LEVEL.contains(name)) {
                throw errors.at(JsonPath.ROOT.property(name), "unknown property \"" + name + "\""
                        + ClosestName.didYouMean(name, TOP_LEVEL) + "; a job file has " + String.join(", ", TOP_LEVEL));
            }
        }
        return (ObjectNode) tree;
    }
}
