package dev.rebatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One column of a list table: its header and how to get its text from a resource's Batch JSON.
 *
 * @param maxWidth longer texts are cut with "..." (0: never)
 */
record Column(String header, Function<JsonNode, String> value, int maxWidth) {

    private static final Pattern INSTANT_WITH_FRACTION =
            Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)\\.\\d+Z");

    /** The property at a dotted path ("poolInfo.poolId"), or "" when absent. */
    static Column path(String header, String path) {
        return new Column(header, node -> text(at(node, path)), 0);
    }

    /** As {@link #path(String, String)}, cut to {@code maxWidth} characters. */
    static Column path(String header, String path, int maxWidth) {
        return new Column(header, node -> text(at(node, path)), maxWidth);
    }

    /** "current/target" of two paths, e.g. nodes of a pool. */
    static Column ratio(String header, String currentPath, String targetPath) {
        return new Column(header, node -> {
            String current = text(at(node, currentPath));
            String target = text(at(node, targetPath));
            return current.isEmpty() && target.isEmpty() ? ""
                    : (current.isEmpty() ? "0" : current) + "/" + (target.isEmpty() ? "0" : target);
        }, 0);
    }

    String cell(JsonNode node) {
        String text = value.apply(node).replace('\n', ' ').replace('\r', ' ');
        if (maxWidth > 3 && text.length() > maxWidth) {
            return text.substring(0, maxWidth - 3) + "...";
        }
        return text;
    }

    static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String name : path.split("\\.")) {
            if (current == null) {
                return null;
            }
            current = current.get(name);
        }
        return current;
    }

    /** A value as a table shows it: text as is (timestamps to the second), numbers and booleans, objects as JSON. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isTextual()) {
            return INSTANT_WITH_FRACTION.matcher(value.asText()).replaceFirst("$1Z");
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        return value.toString();
    }
}
