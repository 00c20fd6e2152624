package dev.rebatch.retry.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusCodeTableTest {

    static final String CSV_RESOURCE = "/dev/rebatch/retry/classify/batch-error-codes.csv";
    private static final String WIRE_NOTES = "shared/reference/wire-notes.md";

    private final StatusCodeTable table = StatusCodeTable.batch();

    /** One documented (status, code) pair. */
    record Pair(int status, String code) {
        @Override
        public String toString() {
            return status + " " + code;
        }
    }

    // ---------------------------------------------------------------- every documented code

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvFileSource(resources = CSV_RESOURCE, numLinesToSkip = 1)
    void everyDocumentedCodeHasTheSpecifiedCategory(int status, String code, Category expected) {
        assertThat(table.categorize(status, code)).as("%d %s", status, code).isEqualTo(expected);
        // Clients compare codes case-insensitively, so the spelling must not change the answer.
        assertThat(table.categorize(status, code.toLowerCase(Locale.ROOT))).isEqualTo(expected);
        assertThat(table.categorize(status, code.toUpperCase(Locale.ROOT))).isEqualTo(expected);
    }

    @Test
    void csvExpectationsFollowTheProductRule() throws IOException {
        for (String[] row : csvRows()) {
            int status = Integer.parseInt(row[0]);
            assertThat(Category.valueOf(row[2])).as("CSV row %s", String.join(",", row))
                    .isEqualTo(specRule(status, row[1]));
        }
    }

    @Test
    void csvListsEveryCodeOfTheWireNotesAndNothingElse() throws IOException {
        Path notes = findWireNotes();
        DocumentedCodes documented = parseSection32(Files.readAllLines(notes, StandardCharsets.UTF_8));

        // The parser must have understood the document, or the comparison below would prove nothing.
        assertThat(documented.commonRest()).as("Common REST codes parsed from %s", notes)
                .hasSizeGreaterThanOrEqualTo(30)
                .contains(new Pair(304, "ConditionNotMet"), new Pair(412, "ConditionNotMet"),
                        new Pair(413, "RequestBodyTooLarge"), new Pair(503, "ServerBusy"));
        assertThat(documented.batchService()).as("Batch service codes parsed from %s", notes)
                .hasSizeGreaterThanOrEqualTo(60)
                .contains(new Pair(409, "JobExists"), new Pair(409, "TaskExists"),
                        new Pair(400, "TaskDependencyListTooLong"), new Pair(400, "TaskDependencyRangesTooLong"),
                        new Pair(503, "TooManyEnableAutoScaleRequests"));
        assertThat(documented.production()).as("production notes parsed from %s", notes)
                .contains(new Pair(429, "TooManyRequests"));

        Set<Pair> inDocument = new LinkedHashSet<>();
        inDocument.addAll(documented.commonRest());
        inDocument.addAll(documented.batchService());
        inDocument.addAll(documented.production());

        List<Pair> inCsv = new ArrayList<>();
        for (String[] row : csvRows()) {
            inCsv.add(new Pair(Integer.parseInt(row[0]), row[1]));
        }
        assertThat(inCsv).as("CSV rows are unique").doesNotHaveDuplicates();
        assertThat(inCsv).as("CSV rows versus the (status, code) pairs of %s, 3.2", notes)
                .containsExactlyInAnyOrderElementsOf(inDocument);
    }

    // ---------------------------------------------------------------- fallbacks and lookups

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "200, SUCCESS", "201, SUCCESS", "202, SUCCESS", "204, SUCCESS",
        "301, SUCCESS", "304, SUCCESS",
        "400, CLIENT", "401, CLIENT", "404, CLIENT", "418, CLIENT", "499, CLIENT",
        "408, SERVER",
        "409, CONFLICT",
        "429, THROTTLED",
        "500, SERVER", "502, SERVER", "503, SERVER", "504, SERVER", "507, SERVER", "599, SERVER",
        "501, CLIENT", "505, CLIENT",
        "100, CLIENT", "199, CLIENT", "600, CLIENT", "999, CLIENT", "0, CLIENT", "-1, CLIENT",
    })
    void statusFallsBackToItsClass(int status, Category expected) {
        assertThat(table.categorize(status, null)).as("%d without a code", status).isEqualTo(expected);
        assertThat(table.categorize(status, "SomeUndocumentedCode")).as("%d with an unknown code", status)
                .isEqualTo(expected);
        assertThat(specRule(status, null)).as("the test's own rule for %d", status).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServerBusy", "serverbusy", "SERVERBUSY", "sErVeRbUsY"})
    void serverBusyMatchesCaseInsensitively(String code) {
        assertThat(table.categorize(503, code)).isEqualTo(Category.THROTTLED);
    }

    @Test
    void autoscaleThrottlingMatchesCaseInsensitively() {
        assertThat(table.categorize(503, "toomanyenableautoscalerequests")).isEqualTo(Category.THROTTLED);
    }

    @Test
    void codeRowsOnlyApplyToTheirOwnStatus() {
        assertThat(table.categorize(500, "ServerBusy")).isEqualTo(Category.SERVER);
        assertThat(table.categorize(502, "ServerBusy")).isEqualTo(Category.SERVER);
        assertThat(table.categorize(501, "ServerBusy")).isEqualTo(Category.CLIENT);
        assertThat(table.categorize(400, "ServerBusy")).isEqualTo(Category.CLIENT);
    }

    @Test
    void nullCodeUsesTheStatusRows() {
        assertThat(table.categorize(503, null)).isEqualTo(Category.SERVER);
        assertThat(table.categorize(409, null)).isEqualTo(Category.CONFLICT);
        assertThat(table.categorize(429, null)).isEqualTo(Category.THROTTLED);
        assertThat(table.categorize(404, null)).isEqualTo(Category.CLIENT);
        assertThat(table.categorize(304, null)).isEqualTo(Category.SUCCESS);
    }

    // ---------------------------------------------------------------- the TSV itself

    @Test
    void everyTsvRowParsesWithAReason() {
        List<StatusCodeTable.Row> rows = table.rows();
        assertThat(rows).hasSize(12);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.status()).as("status of %s", row).matches("[1-5][0-9][0-9]|[2-5]xx");
            assertThat(row.code()).as("code of %s", row).isNotBlank().doesNotContainAnyWhitespaces();
            assertThat(row.category()).as("category of %s", row).isNotNull();
            assertThat(row.why()).as("why of %s", row).isNotBlank();
        });
        assertThat(rows).extracting(StatusCodeTable.Row::status)
                .contains("2xx", "3xx", "4xx", "5xx", "408", "409", "429", "501", "505");
    }

    @Test
    void batchTableIsLoadedOnce() {
        assertThat(StatusCodeTable.batch()).isSameAs(table);
    }

    @Test
    void parseSkipsCommentsAndBlankLinesAndTheHeader() {
        StatusCodeTable parsed = StatusCodeTable.parse(tsv(
                "# a comment",
                "",
                "status\tcode\tcategory\twhy",
                "418\t*\tSERVER\tteapots are transient",
                "# another comment",
                "4xx\t*\tCLIENT\tother client errors"));
        assertThat(parsed.rows()).extracting(StatusCodeTable.Row::status).containsExactly("418", "4xx");
        assertThat(parsed.categorize(418, null)).isEqualTo(Category.SERVER);
        assertThat(parsed.categorize(400, null)).isEqualTo(Category.CLIENT);
        assertThat(parsed.categorize(503, null)).as("no 5xx row: outside the table").isEqualTo(Category.CLIENT);
    }

    @Test
    void parseRejectsDuplicateRowsIgnoringCodeCase() {
        assertThatThrownBy(() -> StatusCodeTable.parse(tsv(
                "status\tcode\tcategory\twhy",
                "503\tServerBusy\tTHROTTLED\tone",
                "503\tserverbusy\tSERVER\ttwo")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Duplicate");
    }

    @Test
    void parseRejectsRowsWithTheWrongNumberOfCells() {
        assertThatThrownBy(() -> StatusCodeTable.parse(tsv(
                "status\tcode\tcategory\twhy",
                "503\tServerBusy\tTHROTTLED")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4 tab-separated cells");
    }

    @Test
    void parseRejectsAnUnknownCategory() {
        assertThatThrownBy(() -> StatusCodeTable.parse(tsv(
                "status\tcode\tcategory\twhy",
                "503\t*\tMAYBE\twhy not")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- helpers

    /** The product's rule, written independently of the TSV. */
    static Category specRule(int status, String code) {
        if (status == 409) {
            return Category.CONFLICT;
        }
        if (status == 429) {
            return Category.THROTTLED;
        }
        if (status == 503 && ("ServerBusy".equalsIgnoreCase(code)
                || "TooManyEnableAutoScaleRequests".equalsIgnoreCase(code))) {
            return Category.THROTTLED;
        }
        if (status == 501 || status == 505) {
            return Category.CLIENT;
        }
        if (status >= 500 && status <= 599) {
            return Category.SERVER;
        }
        if (status == 408) {
            return Category.SERVER;
        }
        if (status >= 200 && status <= 399) {
            return Category.SUCCESS;
        }
        return Category.CLIENT;
    }

    static List<String[]> csvRows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = StatusCodeTableTest.class.getResourceAsStream(CSV_RESOURCE)) {
            assertThat(in).as(CSV_RESOURCE).isNotNull();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R");
            assertThat(lines[0]).isEqualTo("status,code,expectedCategory");
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String[] cells = lines[i].split(",", -1);
                assertThat(cells).as("CSV line %d: %s", i + 1, lines[i]).hasSize(3);
                rows.add(cells);
            }
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }

    private static InputStream tsv(String... lines) {
        return new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Finds {@code shared/reference/wire-notes.md}: in the working directory or an ancestor, or beside one
     * (CI clones the repository with {@code shared/} next to the clone root). Fails, never skips, when absent.
     */
    static Path findWireNotes() {
        Set<Path> tried = new LinkedHashSet<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve(WIRE_NOTES), dir.resolve("..").resolve(WIRE_NOTES))) {
                Path normalized = candidate.normalize();
                if (Files.isRegularFile(normalized)) {
                    return normalized;
                }
                tried.add(normalized);
            }
        }
        return fail("Cannot find %s: the CSV of Batch error codes cannot be checked against the documentation. "
                + "Looked in: %s", WIRE_NOTES, tried);
    }

    /** The pairs of wire-notes section 3.2. */
    record DocumentedCodes(Set<Pair> commonRest, Set<Pair> batchService, Set<Pair> production) {}

    private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]");
    private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    private static final Pattern PARENTHETICAL = Pattern.compile("\\([^)]*\\)");
    private static final Pattern PRODUCTION_NOTE = Pattern.compile("`([A-Za-z][A-Za-z0-9]*)` with HTTP ([0-9]{3})");

    static DocumentedCodes parseSection32(List<String> lines) {
        int start = -1;
        int end = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (start < 0 && line.startsWith("### 3.2")) {
                start = i + 1;
            } else if (start >= 0 && (line.startsWith("### ") || line.startsWith("## "))) {
                end = i;
                break;
            }
        }
        assertThat(start).as("wire-notes has a section '### 3.2'").isNotNegative();
        List<String> section = lines.subList(start, end);

        Set<Pair> production = new LinkedHashSet<>();
        boolean inProductionNotes = false;
        for (String line : section) {
            if (line.contains("Codes seen in production")) {
                inProductionNotes = true;
            } else if (inProductionNotes) {
                Matcher m = PRODUCTION_NOTE.matcher(line);
                while (m.find()) {
                    production.add(new Pair(Integer.parseInt(m.group(2)), m.group(1)));
                }
            }
        }
        return new DocumentedCodes(table(section, "**Common REST codes**"), table(section, "**Batch service codes**"),
                production);
    }

    private static Set<Pair> table(List<String> section, String title) {
        int at = -1;
        for (int i = 0; i < section.size(); i++) {
            if (section.get(i).trim().equals(title)) {
                at = i;
                break;
            }
        }
        assertThat(at).as("wire-notes 3.2 has the table %s", title).isNotNegative();

        Set<Pair> pairs = new LinkedHashSet<>();
        boolean seenTable = false;
        for (int i = at + 1; i < section.size(); i++) {
            String line = section.get(i).trim();
            if (!line.startsWith("|")) {
                if (seenTable || !line.isEmpty()) {
                    break; // the end of the table (or text before any table: nothing to read)
                }
                continue;
            }
            seenTable = true;
            String[] cells = line.substring(1).split("\\|");
            assertThat(cells).as("table row %s", line).hasSizeGreaterThanOrEqualTo(2);
            String status = cells[0].replace("**", "").trim();
            if (!STATUS.matcher(status).matches()) {
                continue; // the header and the |---| separator
            }
            String codes = PARENTHETICAL.matcher(cells[1].replace("**", "")).replaceAll("");
            for (String code : codes.split(",")) {
                String trimmed = code.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                assertThat(trimmed).as("a code in the row %s", line).matches(CODE);
                pairs.add(new Pair(Integer.parseInt(status), trimmed));
            }
        }
        assertThat(pairs).as("rows of %s", title).isNotEmpty();
        return pairs;
    }
}
