package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.server.http.OperationCatalog;
import dev.rebatch.server.http.OperationCatalog.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * batch-operations.tsv is copied from the two supported OpenAPI documents; this keeps it from drifting. Every row's
 * method, path, operationId, success codes and query parameters must equal the specs' (the union over both specs
 * where an operation is in both), and every spec operation must have a row.
 */
class OperationCatalogMatchesSpecsTest {

    private static final List<String> SPECS = List.of("BatchService-2024-07-01.20.0.json",
            "BatchService-2022-10-01.16.0.json");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete", "head");

    /** What the specs say of one method and path. */
    private record SpecOperation(Set<String> operationIds, Set<String> successCodes, Set<String> queryParameters) {}

    @Test
    void everyRowEqualsTheSpecs() throws IOException {
        Map<String, SpecOperation> spec = readSpecs(referenceDirectory());
        Map<String, SpecOperation> catalog = new TreeMap<>();
        for (Operation operation : OperationCatalog.load().operations()) {
            SpecOperation previous = catalog.put(operation.method() + " " + operation.pathTemplate(), new SpecOperation(
                    Set.of(operation.operationId()), new TreeSet<>(Arrays.asList(operation.successCodes().split(","))),
                    new TreeSet<>(operation.queryParameters())));
            assertThat(previous).as("duplicate row %s %s", operation.method(), operation.pathTemplate()).isNull();
        }
        assertThat(catalog.keySet()).isEqualTo(spec.keySet());
        catalog.forEach((key, row) -> {
            SpecOperation expected = spec.get(key);
            assertThat(expected.operationIds()).as("operationId of %s", key).containsAll(row.operationIds());
            assertThat(row.successCodes()).as("success codes of %s", key).isEqualTo(expected.successCodes());
            assertThat(row.queryParameters()).as("query parameters of %s", key).isEqualTo(expected.queryParameters());
        });
    }

    private static Map<String, SpecOperation> readSpecs(Path reference) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, SpecOperation> operations = new TreeMap<>();
        for (String name : SPECS) {
            Path file = reference.resolve(name);
            assertThat(file).as("spec %s", file).isRegularFile();
            JsonNode root = mapper.readTree(file.toFile());
            for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext();) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext();) {
                    Map.Entry<String, JsonNode> method = methods.next();
                    if (!METHODS.contains(method.getKey())) {
                        continue;
                    }
                    SpecOperation operation = operations.computeIfAbsent(
                            method.getKey().toUpperCase() + " " + path.getKey(),
                            key -> new SpecOperation(new TreeSet<>(), new TreeSet<>(), new TreeSet<>()));
                    operation.operationIds().add(method.getValue().path("operationId").asText());
                    method.getValue().path("responses").fieldNames().forEachRemaining(code -> {
                        if (!code.equals("default")) {
                            operation.successCodes().add(code);
                        }
                    });
                    List<JsonNode> parameters = new java.util.ArrayList<>();
                    path.getValue().path("parameters").forEach(parameters::add);
                    method.getValue().path("parameters").forEach(parameters::add);
                    for (JsonNode parameter : parameters) {
                        JsonNode resolved = resolve(root, parameter);
                        if (resolved.path("in").asText().equals("query")) {
                            operation.queryParameters().add(resolved.path("name").asText());
                        }
                    }
                }
            }
        }
        return operations;
    }

    /** A {@code $ref} to {@code #/parameters/...} becomes the parameter it names. */
    private static JsonNode resolve(JsonNode root, JsonNode parameter) {
        String ref = parameter.path("$ref").asText(null);
        if (ref == null) {
            return parameter;
        }
        assertThat(ref).as("parameter reference").startsWith("#/parameters/");
        JsonNode resolved = root.path("parameters").path(ref.substring("#/parameters/".length()));
        assertThat(resolved.isMissingNode()).as("%s resolves", ref).isFalse();
        return resolved;
    }

    /**
     * The shared reference documents live beside the checkouts: {@code <ancestor>/shared/reference} or
     * {@code <ancestor>/../shared/reference} of the working directory.
     */
    private static Path referenceDirectory() {
        Set<Path> tried = new LinkedHashSet<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("shared/reference"), dir.resolve("../shared/reference")}) {
                Path normal = candidate.normalize();
                tried.add(normal);
                if (Files.isRegularFile(normal.resolve(SPECS.get(0)))) {
                    return normal;
                }
            }
        }
        throw new AssertionError("The Batch OpenAPI documents " + SPECS + " were not found in any of " + tried
                + "; this test needs the shared reference directory beside the checkout.");
    }
}
