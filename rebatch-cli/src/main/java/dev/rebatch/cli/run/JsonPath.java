package dev.rebatch.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a value sits in a JSON document: property names and array indexes from the root, written as a reader would
 * look for it ({@code tasks[3].constraints.maxTaskRetryCount}).
 */
public final class JsonPath {

    /** The document itself. */
    public static final JsonPath ROOT = new JsonPath(List.of());

    private final List<Object> segments;

    private JsonPath(List<Object> segments) {
        this.segments = List.copyOf(segments);
    }

    /** The path of the property {@code name} of the object here. */
    public JsonPath property(String name) {
        return with(Objects.requireNonNull(name, "name"));
    }

    /** The path of item {@code index} of the array here. */
    public JsonPath index(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index " + index);
        }
        return with(index);
    }

    /** Each segment: a {@code String} property name or an {@code Integer} index. */
    public List<Object> segments() {
        return segments;
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    private JsonPath with(Object segment) {
        List<Object> longer = new ArrayList<>(segments);
        longer.add(segment);
        return new JsonPath(longer);
    }

    @Override
    public String toString() {
        if (segments.isEmpty()) {
            return "(the document)";
        }
        StringBuilder text = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                if (!text.isEmpty()) {
                    text.append('.');
                }
                text.append(segment);
            }
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonPath path && path.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }
}
