package dev.rebatch.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.SqlCondition;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterCompilerTest {

    /** 2024-01-01T00:00:00Z in epoch microseconds. */
    private static final long NEW_YEAR_2024 = 1_704_067_200_000_000L;

    private static SqlCondition task(String filter) {
        return ODataFilter.compile(filter, ResourceKind.TASK);
    }

    private static void assertCompiles(String filter, String sql, Object... parameters) {
        SqlCondition condition = task(filter);
        assertThat(condition.sql()).isEqualTo(sql);
        assertThat(condition.parameters()).containsExactly(parameters);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void noFilterMatchesEverything(String filter) {
        assertThat(ODataFilter.compile(filter, ResourceKind.JOB)).isSameAs(SqlCondition.ALWAYS);
    }

    @Test
    void compilesAStateComparison() {
        assertCompiles("state eq 'active'", "state = ?", "active");
        assertCompiles("state ne 'active'", "state <> ?", "active");
    }

    @Test
    void comparesIdsCaseInsensitivelyThroughTheLowercasedKey() {
        assertCompiles("id eq 'Job-1'", "id_key = ?", "job-1");
        assertCompiles("id ne 'JOB-1'", "id_key <> ?", "job-1");
    }

    @Test
    void compilesTheFailedTasksFilter() {
        assertCompiles("(state eq 'completed') and (executionInfo/exitCode ne 0)",
                "(state = ? AND (exit_code IS NULL OR exit_code <> ?))", "completed", 0);
    }

    @Test
    void nullableColumnsGetTwoValuedComparisons() {
        assertCompiles("executionInfo/exitCode eq 0", "(exit_code IS NOT NULL AND exit_code = ?)", 0);
        assertCompiles("executionInfo/exitCode lt -1", "(exit_code IS NOT NULL AND exit_code < ?)", -1);
        assertCompiles("executionInfo/result ne 'failure'",
                "(execution_result IS NULL OR execution_result <> ?)", "failure");
    }

    @Test
    void parenthesizesSoAndBindsTighterThanOr() {
        assertCompiles("state eq 'a' or state eq 'b' and id eq 'c'", "(state = ? OR (state = ? AND id_key = ?))",
                "a", "b", "c");
        assertCompiles("(state eq 'a' or state eq 'b') and id eq 'c'", "((state = ? OR state = ?) AND id_key = ?)",
                "a", "b", "c");
        assertCompiles("not (state eq 'a' or id eq 'c')", "(NOT (state = ? OR id_key = ?))", "a", "c");
    }

    @Test
    void convertsDateTimesToEpochMicroseconds() {
        assertCompiles("creationTime gt datetime'2024-01-01T00:00:00Z'", "creation_time > ?", NEW_YEAR_2024);
        assertCompiles("creationTime gt DateTime'2024-01-01T00:00:00Z'", "creation_time > ?", NEW_YEAR_2024);
        assertCompiles("lastModified ge 2024-01-01T00:00:00.123456Z", "last_modified >= ?", NEW_YEAR_2024 + 123_456);
        assertCompiles("stateTransitionTime le datetime'2024-01-01T02:00:00+02:00'", "state_transition_time <= ?",
                NEW_YEAR_2024);
        assertCompiles("creationTime lt datetime'1969-12-31T23:59:59.999999Z'", "creation_time < ?", -1L);
        assertThat(FilterCompiler.epochMicros(Instant.EPOCH)).isZero();
    }

    @Test
    void aDateTimeBetweenTwoMicrosecondsKeepsItsExactMeaning() {
        String literal = " datetime'2024-01-01T00:00:00.0000005Z'";
        assertCompiles("creationTime gt" + literal, "creation_time > ?", NEW_YEAR_2024);
        assertCompiles("creationTime ge" + literal, "creation_time > ?", NEW_YEAR_2024);
        assertCompiles("creationTime lt" + literal, "creation_time <= ?", NEW_YEAR_2024);
        assertCompiles("creationTime le" + literal, "creation_time <= ?", NEW_YEAR_2024);
        assertCompiles("creationTime eq" + literal, "1=0");
        assertCompiles("creationTime ne" + literal, "1=1");
        // Before 1970 "below" still means towards the past.
        assertCompiles("creationTime gt datetime'1969-12-31T23:59:59.9999995Z'", "creation_time > ?", -1L);
    }

    @Test
    void parameterTypesMatchTheColumns() {
        SqlCondition condition =
                task("id eq 'a' and executionInfo/exitCode eq 1 and creationTime gt 2024-01-01T00:00:00Z");
        assertThat(condition.parameters()).map(Object::getClass)
                .containsExactly(String.class, Integer.class, Long.class);
    }

    @Test
    void startsWithLowercasesAndEscapesThePrefix() {
        assertCompiles("startswith(id, 'Job-')", "id_key LIKE ? ESCAPE '!'", "job-%");
        assertCompiles("startswith(id, 'A_50%!x')", "id_key LIKE ? ESCAPE '!'", "a!_50!%!!x%");
        assertCompiles("startswith(id, '')", "id_key LIKE ? ESCAPE '!'", "%");
        assertThat(FilterCompiler.escapeLike("%_!plain")).isEqualTo("!%!_!!plain");
    }

    @Test
    void valuesNeverAppearInTheSql() {
        SqlCondition condition = task("id eq 'x'' OR 1=1 --' or startswith(id, ''';DROP TABLE t')");
        assertThat(condition.sql()).isEqualTo("(id_key = ? OR id_key LIKE ? ESCAPE '!')");
        assertThat(condition.parameters()).containsExactly("x' or 1=1 --", "';drop table t%");
    }

    @ParameterizedTest
    @EnumSource(ResourceKind.class)
    void everyKindFiltersOnTheCommonProperties(ResourceKind kind) {
        SqlCondition condition = ODataFilter.compile("id eq 'a' and state eq 'b'"
                + " and creationTime gt 2024-01-01T00:00:00Z and stateTransitionTime gt 2024-01-01T00:00:00Z"
                + " and lastModified gt 2024-01-01T00:00:00Z", kind);
        assertThat(condition.sql()).isEqualTo("((((id_key = ? AND state = ?) AND creation_time > ?)"
                + " AND state_transition_time > ?) AND last_modified > ?)");
        assertThat(condition.parameters()).hasSize(5);
    }

    static Stream<Arguments> unsupportedFilters() {
        return Stream.of(
                // kind, filter, offending term, part of the message
                Arguments.of(ResourceKind.TASK, "nodeInfo/poolId eq 'p'", "nodeInfo/poolId",
                        "unsupported property 'nodeInfo/poolId' for tasks; supported: creationTime, "
                                + "executionInfo/exitCode, executionInfo/result, id, lastModified, state, "
                                + "stateTransitionTime"),
                Arguments.of(ResourceKind.JOB, "executionInfo/exitCode eq 0", "executionInfo/exitCode",
                        "unsupported property 'executionInfo/exitCode' for jobs"),
                Arguments.of(ResourceKind.POOL, "State eq 'active'", "State", "unsupported property 'State'"),
                Arguments.of(ResourceKind.TASK, "startswith(displayName, 'x')", "displayName",
                        "unsupported property 'displayName'"),
                Arguments.of(ResourceKind.JOB, "state gt 'active'", "gt",
                        "operator 'gt' is not supported for property 'state'; it takes eq, ne"),
                Arguments.of(ResourceKind.JOB, "startswith(state, 'act')", "startswith",
                        "startswith is not supported for property 'state'"),
                Arguments.of(ResourceKind.JOB, "state eq 1", "1", "property 'state' takes a string"),
                Arguments.of(ResourceKind.TASK, "executionInfo/exitCode eq '0'", "'0'",
                        "property 'executionInfo/exitCode' takes an integer, not the string '0'"),
                Arguments.of(ResourceKind.TASK, "executionInfo/exitCode eq true", "true", "takes an integer"),
                Arguments.of(ResourceKind.JOB, "creationTime gt '2024-01-01T00:00:00Z'", "'2024-01-01T00:00:00Z'",
                        "property 'creationTime' takes a datetime"),
                Arguments.of(ResourceKind.JOB, "id eq datetime'2024-01-01T00:00:00Z'",
                        "datetime'2024-01-01T00:00:00Z'", "not the datetime"),
                Arguments.of(ResourceKind.TASK, "executionInfo/exitCode gt 3000000000", "3000000000",
                        "integer 3000000000 is out of range for property 'executionInfo/exitCode'"),
                Arguments.of(ResourceKind.JOB, "creationTime gt datetime'+300000-01-01T00:00:00Z'",
                        "+300000-01-01T00:00:00Z", "datetime +300000-01-01T00:00:00Z is out of range"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unsupportedFilters")
    void unsupportedFilterNamesTheTerm(ResourceKind kind, String filter, String term, String message) {
        assertThatThrownBy(() -> ODataFilter.compile(filter, kind))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.term()).isEqualTo(term);
                    assertThat(e.getMessage()).contains(message).contains(term);
                    assertThat(e.position()).isEqualTo(-1);
                });
    }

    @Test
    void compilesAnAlreadyParsedFilter() {
        FilterExpr parsed = ODataFilter.parse("state eq 'active'");
        assertThat(ODataFilter.compile(parsed, ResourceKind.POOL)).isEqualTo(new SqlCondition("state = ?",
                List.of("active")));
    }
}
