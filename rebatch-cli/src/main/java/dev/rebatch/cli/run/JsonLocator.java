package dev.rebatch.cli.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the line and column of a {@link JsonPath} in a document's text. Problems found after parsing (a wrong type
 * in a record, an invalid id, a dependency on a task that is not there) are reported on the tree, which has no
 * positions; one streaming pass over the text gives them back.
 */
final class JsonLocator {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonLocator() {}

    /** A line and column, both from 1. */
    record Position(int line, int column) {

        @Override
        public String toString() {
            return "line " + line + ", column " + column;
        }
    }

    /**
     * Where the value at {@code path} starts; when the path does not exist (a missing property), where its deepest
     * existing parent starts. Empty when the text is not JSON up to there.
     */
    static Optional<Position> locate(byte[] json, JsonPath path) {
        List<Object> target = path.segments();
        Position best = null;
        int bestDepth = -1;
        try (JsonParser parser = FACTORY.createParser(json)) {
            List<Frame> frames = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    frames.get(frames.size() - 1).name = parser.currentName();
                    continue;
                }
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    frames.remove(frames.size() - 1);
                    continue;
                }
                if (!frames.isEmpty() && frames.get(frames.size() - 1).array) {
                    frames.get(frames.size() - 1).index++;
                }
                int matched = matchedDepth(frames, target);
                if (matched == frames.size() && matched > bestDepth) {
                    JsonLocation location = parser.currentTokenLocation();
                    best = new Position(location.getLineNr(), location.getColumnNr());
                    bestDepth = matched;
                    if (matched == target.size()) {
                        return Optional.of(best);
                    }
                }
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    frames.add(new Frame(token == JsonToken.START_ARRAY));
                }
            }
        } catch (IOException notJson) {
            // the best position found before the text stopped being JSON
        }
        return Optional.ofNullable(best);
    }

    /** How many leading segments of {@code target} the current position matches (all of the frames, or fewer). */
    private static int matchedDepth(List<Frame> frames, List<Object> target) {
        int depth = 0;
        for (Frame frame : frames) {
            if (depth >= target.size()) {
                return depth;
            }
            Object segment = target.get(depth);
            boolean same = frame.array ? segment instanceof Integer index && index == frame.index
                    : segment instanceof String name && name.equals(frame.name);
            if (!same) {
                return depth;
            }
            depth++;
        }
        return depth;
    }

    /** One open object or array: the property or index being read in it. */
    private static final class Frame {
        final boolean array;
        int index = -1;
        String name;

        Frame(boolean array) {
            this.array = array;
        }
    }
}
