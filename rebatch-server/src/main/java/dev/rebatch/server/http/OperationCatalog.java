package dev.rebatch.server.http;

import dev.rebatch.model.BatchErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every operation of the supported Batch specs ({@code batch-operations.tsv}). Requests that match no implemented
 * route are looked up here: a spec operation gets 501 NotImplemented naming it; anything else 404.
 */
public final class OperationCatalog {

    /** One spec operation and the pattern its path template becomes. */
    public record Operation(String method, String pathTemplate, String operationId, Pattern path) {}

    private final List<Operation> operations;

    private OperationCatalog(List<Operation> operations) {
        this.operations = List.copyOf(operations);
    }

    public static OperationCatalog load() {
        try (InputStream in = OperationCatalog.class.getResourceAsStream("/dev/rebatch/server/batch-operations.tsv")) {
            if (in == null) {
                throw new IllegalStateException("batch-operations.tsv is missing from the rebatch-server jar");
            }
            List<Operation> operations = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            boolean header = true;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] cells = line.split("\t");
                operations.add(new Operation(cells[0], cells[1], cells[2], toPattern(cells[1])));
            }
            return new OperationCatalog(operations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Operation> operations() {
        return operations;
    }

    public Optional<Operation> find(String method, String path) {
        return operations.stream()
                .filter(operation -> operation.method().equalsIgnoreCase(method) && operation.path().matcher(path).matches())
                .findFirst();
    }

    /** The refusal for a request no implemented route took. */
    public BatchException refusal(String method, String path) {
        return find(method, path)
                .map(operation -> new BatchException(BatchErrorCode.NotImplemented,
                        "Rebatch does not implement the Batch operation " + operation.operationId() + " ("
                                + operation.method() + " " + operation.pathTemplate() + ") yet. See docs/compatibility.md.",
                        BatchException.detail("OperationId", operation.operationId())))
                .orElseGet(() -> new BatchException(BatchErrorCode.ResourceNotFound,
                        "The specified resource does not exist.", BatchException.detail("Path", path)));
    }

    /** {@code {param}} matches one path segment, except {@code {filePath}}, which may span several. */
    static Pattern toPattern(String template) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                regex.append(Pattern.quote(template.substring(i)));
                break;
            }
            regex.append(Pattern.quote(template.substring(i, open)));
            int close = template.indexOf('}', open);
            String name = template.substring(open + 1, close);
            regex.append(name.equals("filePath") ? ".+" : "[^/(),]+");
            i = close + 1;
        }
        return Pattern.compile(regex.toString());
    }
}
