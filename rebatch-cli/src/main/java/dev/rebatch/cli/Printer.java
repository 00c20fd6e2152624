package dev.rebatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rebatch.model.common.BatchJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints resources as the chosen {@link OutputOptions.Format}: tables of aligned columns, or the Batch JSON as the SDK
 * read it (through {@link BatchJson#mapper()}), pretty-printed.
 */
final class Printer {

    private static final ObjectMapper JSON = BatchJson.mapper();

    private final OutputOptions.Format format;
    private final PrintWriter out;
    private final PrintWriter err;

    Printer(OutputOptions.Format format, PrintWriter out, PrintWriter err) {
        this.format = format;
        this.out = out;
        this.err = err;
    }

    boolean json() {
        return format == OutputOptions.Format.JSON;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /**
     * A list: a table of {@code columns} (or of the {@code select}ed properties) with one row per item, or a JSON
     * array. An empty table prints {@code whenEmpty} ("No jobs found.") on stderr and nothing on stdout.
     */
    void list(List<?> items, List<Column> columns, String select, String whenEmpty) {
        if (json()) {
            ArrayNode array = JSON.createArrayNode();
            items.forEach(item -> array.add(JSON.valueToTree(item)));
            printJson(array);
            return;
        }
        if (items.isEmpty()) {
            err.println(whenEmpty);
            return;
        }
        List<Column> shown = select == null || select.isBlank() ? columns : selected(select);
        List<List<String>> rows = new ArrayList<>();
        for (Object item : items) {
            JsonNode node = JSON.valueToTree(item);
            rows.add(shown.stream().map(column -> column.cell(node)).toList());
        }
        table(shown.stream().map(Column::header).toList(), rows);
    }

    /** One resource: "property  value" lines of every property it has (nested ones as dotted paths), or its JSON. */
    void show(Object resource) {
        JsonNode node = JSON.valueToTree(resource);
        if (json()) {
            printJson(node);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        flatten("", node, rows);
        table(null, rows);
    }

    /** A line that confirms what a command did; in JSON mode it goes to stderr, so stdout stays JSON (or empty). */
    void done(String message) {
        (json() ? err : out).println(message);
    }

    /** Aligned columns separated by two spaces; the last column is not padded. */
    void table(List<String> headers, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        if (headers != null) {
            all.add(headers);
        }
        all.addAll(rows);
        int columns = all.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    void printJson(JsonNode node) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static List<Column> selected(String select) {
        List<Column> columns = new ArrayList<>();
        for (String property : select.split(",")) {
            String name = property.strip();
            if (!name.isEmpty()) {
                columns.add(Column.path(name.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT),
                        name));
            }
        }
        return columns;
    }

    private static void flatten(String prefix, JsonNode node, List<List<String>> rows) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), rows);
            }
        } else if (node.isArray()) {
            boolean scalars = true;
            for (JsonNode element : node) {
                scalars &= element.isValueNode();
            }
            if (scalars) {
                List<String> values = new ArrayList<>();
                node.forEach(element -> values.add(Column.text(element)));
                rows.add(List.of(prefix, String.join(", ", values)));
            } else {
                for (int i = 0; i < node.size(); i++) {
                    flatten(prefix + "[" + i + "]", node.get(i), rows);
                }
            }
        } else {
            rows.add(List.of(prefix, node.isTextual() ? node.asText() : Column.text(node)));
        }
    }
}
