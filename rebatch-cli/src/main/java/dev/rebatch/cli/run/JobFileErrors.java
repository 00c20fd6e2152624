package dev.rebatch.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Makes the {@link JobFileException}s of one job file. The checks after parsing work on the tree, which has no
 * positions, so they name the path and this finds its line and column in the text; the shared wordings live here so
 * that every wrong value and every bad id reads alike.
 */
final class JobFileErrors {

    /** Beyond this many characters a value found is cut short: the message names it, the file holds all of it. */
    private static final int MAX_FOUND_LENGTH = 60;

    private final byte[] content;
    private final String source;

    JobFileErrors(byte[] content, String source) {
        this.content = content;
        this.source = source;
    }

    /** A problem with the value at {@code path}, placed where that value (or its deepest existing parent) starts. */
    JobFileException at(JsonPath path, String problem) {
        Optional<JsonLocator.Position> position = JsonLocator.locate(content, path);
        return new JobFileException(source, path, position.map(JsonLocator.Position::line).orElse(0),
                position.map(JsonLocator.Position::column).orElse(0), problem);
    }

    /**
     * A problem with the text itself, before there is a tree to have paths in: at the parser's line and column, 0
     * where unknown.
     */
    JobFileException inText(int line, int column, String problem) {
        return new JobFileException(source, null, line, column, problem);
    }

    /** "expected {@code expected}, found" the value at {@code path} ({@code found}, or nothing when it is absent). */
    JobFileException expected(JsonPath path, String expected, JsonNode found) {
        return at(path, "expected " + expected + ", found " + describe(found));
    }

    /** An id the service would refuse; {@code what} says whose ("task id", "pool id"). */
    JobFileException invalidId(JsonPath path, String id, String what) {
        return invalidId(path, id, what, "");
    }

    /** As {@link #invalidId(JsonPath, String, String)}, with {@code which} after it, such as the i that made it. */
    JobFileException invalidId(JsonPath path, String id, String what, String which) {
        return at(path, "\"" + id + "\" is not a valid " + what + ": ids have 1 to 64 letters, digits, hyphens and "
                + "underscores" + which);
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.isObject() ? "an object" : node.isArray() ? "a list" : node.toString();
        return text.length() > MAX_FOUND_LENGTH ? text.substring(0, MAX_FOUND_LENGTH - 3) + "..." : text;
    }
}
