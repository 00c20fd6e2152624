package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.ApiVersion;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.Account;
import dev.rebatch.server.auth.SharedKeySignature;
import dev.rebatch.server.auth.SignedRequest;
import dev.rebatch.server.auth.StringToSign;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.http.OperationCatalog;
import dev.rebatch.server.http.OperationCatalog.Operation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/compatibility.md cannot drift: it lists every operation of batch-operations.tsv exactly once, and marks
 * an operation "501 NotImplemented" exactly when the running service answers it that way.
 */
class OperationsDocumentedTest {

    private static final Path DOC = Path.of("..", "docs", "compatibility.md").toAbsolutePath().normalize();
    /** {@code | GET | `/jobs/{jobId}` | Job_Get | 200 | both | supported |} */
    private static final Pattern ROW = Pattern.compile(
            "^\\| (GET|POST|PUT|PATCH|DELETE|HEAD) \\| `([^`]+)` \\| (\\w+) \\| ([\\d,]+) \\| [^|]+ \\| ([^|]+?) \\|$");
    private static final String SUPPORTED = "supported";
    private static final String NOT_IMPLEMENTED = "501 NotImplemented";

    @TempDir
    Path dataDir;

    private record Row(String method, String path, String operationId, String successCodes, String status) {}

    private static List<Row> documentedRows() throws Exception {
        assertThat(DOC).as("the compatibility page").exists();
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                rows.add(new Row(row.group(1), row.group(2), row.group(3), row.group(4), row.group(5)));
            }
        }
        return rows;
    }

    @Test
    void theDocumentListsEveryOperationOnceWithItsMethodPathAndSuccessCode() throws Exception {
        List<Row> rows = documentedRows();
        List<Operation> operations = OperationCatalog.load().operations();

        assertThat(operations).hasSize(80);
        assertThat(rows).extracting(Row::operationId).as("operations listed in %s", DOC).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(operations.stream().map(Operation::operationId).toList());
        Map<String, Row> byId = new LinkedHashMap<>();
        rows.forEach(row -> byId.put(row.operationId(), row));
        for (Operation operation : operations) {
            Row row = byId.get(operation.operationId());
            assertThat(row.method() + " " + row.path()).as("method and path of %s", operation.operationId())
                    .isEqualTo(operation.method() + " " + operation.pathTemplate());
            assertThat(row.status()).as("status of %s", operation.operationId()).isIn(SUPPORTED, NOT_IMPLEMENTED);
        }
        Map<String, String> documentedCodes = new TreeMap<>();
        rows.forEach(row -> documentedCodes.put(row.operationId(), row.successCodes()));
        assertThat(documentedCodes).as("success codes in the table").isEqualTo(new TreeMap<>(successCodes()));
    }

    @Test
    void anOperationIsDocumentedAs501ExactlyWhenTheServiceAnswers501() throws Exception {
        List<Row> rows = documentedRows();
        assertThat(rows).isNotEmpty();
        Account account = Account.fromBase64(TestService.ACCOUNT, TestService.KEY);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> mismatches = new ArrayList<>();
        try (TestService service = new TestService(dataDir)) {
            for (Row row : rows) {
                HttpResponse<String> response = send(http, service.endpoint(), account, row);
                boolean notImplemented = response.statusCode() == 501;
                if (notImplemented && !row.method().equals("HEAD")) {
                    JsonNode error = Json.MAPPER.readTree(response.body());
                    assertThat(error.path("code").asText()).as("error code of %s", row.operationId())
                            .isEqualTo("NotImplemented");
                    assertThat(error.path("message").path("value").asText()).as("message of %s", row.operationId())
                            .contains(row.operationId());
                }
                if (notImplemented != row.status().equals(NOT_IMPLEMENTED)) {
                    mismatches.add(row.operationId() + ": documented as '" + row.status() + "', but the service answers "
                            + response.statusCode() + " " + response.body());
                }
            }
        }
        assertThat(mismatches).as("rows of %s that disagree with the service", DOC).isEmpty();
    }

    private static HttpResponse<String> send(HttpClient http, String endpoint, Account account, Row row) throws Exception {
        String path = row.path().replace("{filePath}", "probe.txt").replaceAll("\\{[^}]+}", "probe1");
        String query = "api-version=" + ApiVersion.V2024_07_01;
        boolean hasBody = row.method().equals("POST") || row.method().equals("PUT") || row.method().equals("PATCH");
        byte[] body = hasBody ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ocp-date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        if (hasBody) {
            headers.put("Content-Type", "application/json; odata=minimalmetadata; charset=utf-8");
        }
        String stringToSign = StringToSign.of(new SignedRequest(row.method(), path, query, headers, body.length),
                account.name());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path + "?" + query))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", SharedKeySignature.authorizationHeader(account, stringToSign))
                .method(row.method(), hasBody ? HttpRequest.BodyPublishers.ofByteArray(body)
                        : HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> successCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : readTsv()) {
            String[] cells = line.split("\t");
            codes.put(cells[2], cells[3]);
        }
        return codes;
    }

    private static List<String> readTsv() {
        try (var in = OperationCatalog.class.getResourceAsStream("/dev/rebatch/server/batch-operations.tsv")) {
            assertThat(in).as("batch-operations.tsv on the class path").isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
            return lines.subList(1, lines.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
