package dev.rebatch.server.http;

import dev.rebatch.model.BatchErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every operation of the supported Batch specs ({@code batch-operations.tsv}). Requests that match no implemented
 * route are looked up here: a spec operation gets 501 NotImplemented naming it; anything else 404. The request
 * pipeline also looks up every request here to learn which query parameters its operation takes.
 */
public final class OperationCatalog {

    /**
     * One spec operation and the pattern its path template becomes. {@code queryParameters} are the spec's names,
     * spelled as the spec spells them (e.g. {@code forceAfterSeconds}).
     */
    public record Operation(String method, String pathTemplate, String operationId, String successCodes,
            List<String> queryParameters, Pattern path) {

        public Operation {
            queryParameters = List.copyOf(queryParameters);
        }

        /** Whether the spec defines this query parameter for the operation; names compare case-insensitively. */
        public boolean takesQueryParameter(String name) {
            return queryParameters.stream().anyMatch(defined -> defined.equalsIgnoreCase(name));
        }
    }

    private final List<Operation> operations;
    /**
     * Operations by method, then by first path segment: every request is looked up, and matching it against a
     * handful of candidates is much cheaper than against all 80 patterns.
     */
    private final Map<String, Map<String, List<Operation>>> index = new HashMap<>();

    private OperationCatalog(List<Operation> operations) {
        this.operations = List.copyOf(operations);
        for (Operation operation : this.operations) {
            index.computeIfAbsent(operation.method(), method -> new HashMap<>())
                    .computeIfAbsent(firstSegment(operation.pathTemplate()), segment -> new ArrayList<>())
                    .add(operation);
        }
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
                operations.add(new Operation(cells[0], cells[1], cells[2], cells[3], queryParameters(cells),
                        toPattern(cells[1])));
            }
            return new OperationCatalog(operations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Operation> operations() {
        return operations;
    }

    /** The spec operation a request is for, if any. */
    public Optional<Operation> find(String method, String path) {
        Map<String, List<Operation>> bySegment = index.get(method.toUpperCase(Locale.ROOT));
        if (bySegment == null) {
            return Optional.empty();
        }
        return bySegment.getOrDefault(firstSegment(path), List.of()).stream()
                .filter(operation -> operation.path().matcher(path).matches())
                .findFirst();
    }

    /**
     * {@code /jobs/x/tasks} → {@code jobs}. Stops at {@code (} too, so {@code /certificates(thumbprint...)} shares
     * its key with {@code /certificates}. Templates and request paths reduce alike because no template starts with a
     * parameter.
     */
    static String firstSegment(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int end = start;
        while (end < path.length() && path.charAt(end) != '/' && path.charAt(end) != '(') {
            end++;
        }
        return path.substring(start, end);
    }

    /** The fifth column; an operation with no query parameters (none in the specs today) may leave it empty. */
    private static List<String> queryParameters(String[] cells) {
        if (cells.length < 5 || cells[4].isBlank()) {
            return List.of();
        }
        return List.copyOf(new LinkedHashSet<>(Arrays.asList(cells[4].split(","))));
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
