package dev.rebatch.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.http.OperationCatalog.Operation;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The catalog's indexed lookup finds each operation from a concrete request path. */
class OperationCatalogTest {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    private final OperationCatalog catalog = OperationCatalog.load();

    @Test
    void everyOperationIsFoundFromAConcretePathMadeFromItsTemplate() {
        assertThat(catalog.operations()).hasSize(80);
        for (Operation operation : catalog.operations()) {
            String path = concrete(operation.pathTemplate());
            assertThat(catalog.find(operation.method(), path)).as("%s %s", operation.method(), path)
                    .hasValueSatisfying(found -> assertThat(found.operationId()).isEqualTo(operation.operationId()));
            assertThat(catalog.find(operation.method().toLowerCase(), path)).as("lowercase method").isPresent();
        }
    }

    @Test
    void pathsThatAreNoOperationAreNotFound() {
        assertThat(catalog.find("GET", "/nowhere")).isEmpty();
        assertThat(catalog.find("GET", "/")).isEmpty();
        assertThat(catalog.find("GET", "")).isEmpty();
        assertThat(catalog.find("OPTIONS", "/jobs")).isEmpty();
        assertThat(catalog.find("POST", "/jobs/j1")).isEmpty();
        assertThat(catalog.find("GET", "/jobs/j1/unknown")).isEmpty();
    }

    @Test
    void queryParametersComeFromTheFifthColumn() {
        Operation jobDelete = catalog.find("DELETE", "/jobs/j1").orElseThrow();
        assertThat(jobDelete.queryParameters()).contains("forceAfterSeconds", "timeout", "api-version");
        assertThat(jobDelete.takesQueryParameter("FORCEAFTERSECONDS")).isTrue();
        assertThat(jobDelete.takesQueryParameter("$filter")).isFalse();
        Operation fileList = catalog.find("GET", "/jobs/j1/tasks/t1/files").orElseThrow();
        assertThat(fileList.queryParameters()).contains("recursive", "$filter", "maxresults");
    }

    @Test
    void firstSegmentStopsAtASlashOrAParenthesis() {
        assertThat(OperationCatalog.firstSegment("/jobs/j1/tasks")).isEqualTo("jobs");
        assertThat(OperationCatalog.firstSegment("/jobs")).isEqualTo("jobs");
        assertThat(OperationCatalog.firstSegment("/certificates(thumbprintAlgorithm=sha1,thumbprint=ab)"))
                .isEqualTo("certificates");
        assertThat(OperationCatalog.firstSegment("/")).isEmpty();
    }

    /** Every {@code {param}} becomes a value; {@code {filePath}} one with several segments. */
    private static String concrete(String template) {
        Matcher matcher = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String value = matcher.group(1).equals("filePath") ? "wd/sub/out.txt" : matcher.group(1) + "-1";
            matcher.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(path).toString();
    }
}
