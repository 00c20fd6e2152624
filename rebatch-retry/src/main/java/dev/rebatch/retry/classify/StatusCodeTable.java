package dev.rebatch.retry.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status-and-code table that classifies HTTP error responses. The table is data
 * ({@code batch-status-categories.tsv} beside this class) so that a reader can check every row against
 * the Batch documentation without reading code.
 */
public final class StatusCodeTable {

    /** One row of the table. {@code code} is {@code "*"} for any code; {@code status} may be a class such as 5xx. */
    public record Row(String status, String code, Category category, String why) {}

    private static final String RESOURCE = "batch-status-categories.tsv";
    private static final String ANY_CODE = "*";

    private final List<Row> rows;
    private final Map<String, Category> byKey = new HashMap<>();

    private StatusCodeTable(List<Row> rows) {
        this.rows = List.copyOf(rows);
        for (Row row : rows) {
            String key = key(row.status(), row.code());
            if (byKey.put(key, row.category()) != null) {
                throw new IllegalStateException("Duplicate row in " + RESOURCE + ": " + row);
            }
        }
    }

    /** The table shipped with the retry core. */
    public static StatusCodeTable batch() {
        return Holder.BATCH;
    }

    /** Every row, in file order. */
    public List<Row> rows() {
        return rows;
    }

    /** The category of a response with this status and Batch error code ({@code null} when the body had none). */
    public Category categorize(int status, String errorCode) {
        String exactStatus = Integer.toString(status);
        if (errorCode != null) {
            Category exact = byKey.get(key(exactStatus, errorCode));
            if (exact != null) {
                return exact;
            }
        }
        Category anyCode = byKey.get(key(exactStatus, ANY_CODE));
        if (anyCode != null) {
            return anyCode;
        }
        Category statusClass = byKey.get(key((status / 100) + "xx", ANY_CODE));
        // A status outside 2xx-5xx is not HTTP we understand; retrying would not help.
        return statusClass != null ? statusClass : Category.CLIENT;
    }

    private static String key(String status, String code) {
        // Batch error codes are case-sensitive on the wire, but clients compare them case-insensitively.
        return status + '\t' + code.toLowerCase(Locale.ROOT);
    }

    static StatusCodeTable parse(InputStream tsv) {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(tsv, StandardCharsets.UTF_8))) {
            boolean header = true;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] cells = line.split("\t", -1);
                if (cells.length != 4) {
                    throw new IllegalStateException("Expected 4 tab-separated cells in " + RESOURCE + ": " + line);
                }
                rows.add(new Row(cells[0], cells[1], Category.valueOf(cells[2]), cells[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        return new StatusCodeTable(rows);
    }

    private static final class Holder {
        static final StatusCodeTable BATCH = load();

        private static StatusCodeTable load() {
            InputStream in = StatusCodeTable.class.getResourceAsStream(RESOURCE);
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the rebatch-retry jar");
            }
            return parse(in);
        }
    }
}
