package dev.rebatch.model.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** The Batch OpenAPI document the wire records mirror, from the shared reference directory beside the checkout. */
final class BatchSpec {

    static final String SPEC = "BatchService-2024-07-01.20.0.json";

    private static JsonNode document;

    private BatchSpec() {}

    /** The {@code definitions} of the 2024-07-01.20.0 spec (what the Java SDK 11.2.0 speaks). */
    static synchronized JsonNode definitions() {
        if (document == null) {
            try {
                document = new ObjectMapper().readTree(referenceDirectory().resolve(SPEC).toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return document.path("definitions");
    }

    /**
     * The shared reference documents live beside the checkouts: {@code <ancestor>/shared/reference} or
     * {@code <ancestor>/../shared/reference} of the working directory (as rebatch-server's
     * OperationCatalogMatchesSpecsTest finds them). Fails, never skips, when absent.
     */
    static Path referenceDirectory() {
        Set<Path> tried = new LinkedHashSet<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("shared/reference"), dir.resolve("../shared/reference")}) {
                Path normal = candidate.normalize();
                tried.add(normal);
                if (Files.isRegularFile(normal.resolve(SPEC))) {
                    return normal;
                }
            }
        }
        throw new AssertionError("The Batch OpenAPI document " + SPEC + " was not found in any of " + tried
                + "; this test needs the shared reference directory beside the checkout.");
    }
}
