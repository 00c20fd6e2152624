package dev.rebatch.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.server.query.FilterExpr.And;
import dev.rebatch.server.query.FilterExpr.Comparison;
import dev.rebatch.server.query.FilterExpr.Not;
import dev.rebatch.server.query.FilterExpr.Or;
import dev.rebatch.server.query.FilterExpr.StartsWith;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterParserTest {

    private static final Comparison ACTIVE = eq("state", "active");
    private static final Comparison COMPLETED = eq("state", "completed");
    private static final Comparison JOB_1 = eq("id", "job-1");

    private static Comparison eq(String property, String text) {
        return new Comparison(property, ComparisonOperator.EQ, new Literal.Text(text));
    }

    private static FilterExpr parse(String filter) {
        return FilterParser.parse(filter);
    }

    @ParameterizedTest
    @EnumSource(ComparisonOperator.class)
    void parsesEveryComparisonOperator(ComparisonOperator op) {
        assertThat(parse("executionInfo/exitCode " + op.odata() + " 3"))
                .isEqualTo(new Comparison("executionInfo/exitCode", op, new Literal.Int(3)));
    }

    @Test
    void keywordsAreCaseInsensitiveButPropertiesAreKeptAsWritten() {
        assertThat(parse("State EQ 'active' AnD NOT id Ne 'x'")).isEqualTo(new And(
                eq("State", "active"),
                new Not(new Comparison("id", ComparisonOperator.NE, new Literal.Text("x")))));
    }

    @Test
    void doubledQuoteInAStringIsOneQuote() {
        assertThat(parse("id eq 'it''s'''")).isEqualTo(eq("id", "it's'"));
        assertThat(parse("id eq ''")).isEqualTo(eq("id", ""));
    }

    @Test
    void stringsKeepSpacesParenthesesAndKeywordsVerbatim() {
        assertThat(parse("id eq ' a) or (b '")).isEqualTo(eq("id", " a) or (b "));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "-1, -1", "42, 42", "-9223372036854775808, -9223372036854775808"})
    void parsesIntegers(String text, long value) {
        assertThat(parse("executionInfo/exitCode eq " + text))
                .isEqualTo(new Comparison("executionInfo/exitCode", ComparisonOperator.EQ, new Literal.Int(value)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "datetime'2024-01-01T00:00:00Z'",
        "DateTime'2024-01-01T00:00:00Z'",
        "DATETIME'2024-01-01T00:00:00Z'",
        "datetimeoffset'2024-01-01T00:00:00Z'",
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00.000Z",
        "datetime'2024-01-01T02:00:00+02:00'",
        "2024-01-01T02:00:00+02:00",
        "datetime'2024-01-01T00:00:00'", // OData v2 clients send no offset: read as UTC
    })
    void parsesEveryDateTimeSpelling(String literal) {
        assertThat(parse("creationTime gt " + literal)).isEqualTo(new Comparison("creationTime",
                ComparisonOperator.GT, new Literal.DateTime(Instant.parse("2024-01-01T00:00:00Z"))));
    }

    @Test
    void keepsFractionalSecondsOfADateTime() {
        assertThat(parse("creationTime lt datetime'2024-01-01T00:00:00.1234567Z'")).isEqualTo(new Comparison(
                "creationTime", ComparisonOperator.LT,
                new Literal.DateTime(Instant.parse("2024-01-01T00:00:00.123456700Z"))));
    }

    @Test
    void parsesBooleans() {
        assertThat(parse("x eq true")).isEqualTo(new Comparison("x", ComparisonOperator.EQ, new Literal.Bool(true)));
        assertThat(parse("x ne FALSE")).isEqualTo(new Comparison("x", ComparisonOperator.NE, new Literal.Bool(false)));
    }

    @Test
    void andBindsTighterThanOr() {
        assertThat(parse("state eq 'active' or state eq 'completed' and id eq 'job-1'"))
                .isEqualTo(new Or(ACTIVE, new And(COMPLETED, JOB_1)));
        assertThat(parse("state eq 'active' and state eq 'completed' or id eq 'job-1'"))
                .isEqualTo(new Or(new And(ACTIVE, COMPLETED), JOB_1));
    }

    @Test
    void parenthesesOverridePrecedence() {
        assertThat(parse("(state eq 'active' or state eq 'completed') and id eq 'job-1'"))
                .isEqualTo(new And(new Or(ACTIVE, COMPLETED), JOB_1));
    }

    @Test
    void andAndOrAssociateToTheLeft() {
        assertThat(parse("state eq 'active' and state eq 'completed' and id eq 'job-1'"))
                .isEqualTo(new And(new And(ACTIVE, COMPLETED), JOB_1));
        assertThat(parse("state eq 'active' or state eq 'completed' or id eq 'job-1'"))
                .isEqualTo(new Or(new Or(ACTIVE, COMPLETED), JOB_1));
    }

    @Test
    void redundantParenthesesLeaveNoTrace() {
        assertThat(parse("((state eq 'active'))")).isEqualTo(ACTIVE);
        assertThat(parse("(state eq 'active')and(id eq 'job-1')")).isEqualTo(new And(ACTIVE, JOB_1));
    }

    @Test
    void notBindsTighterThanAnd() {
        assertThat(parse("not (state eq 'active') and id eq 'job-1'")).isEqualTo(new And(new Not(ACTIVE), JOB_1));
        assertThat(parse("not state eq 'active'")).isEqualTo(new Not(ACTIVE));
        assertThat(parse("not not state eq 'active'")).isEqualTo(new Not(new Not(ACTIVE)));
        assertThat(parse("not (state eq 'active' or id eq 'job-1')")).isEqualTo(new Not(new Or(ACTIVE, JOB_1)));
    }

    @Test
    void parsesStartsWith() {
        assertThat(parse("startswith(id, 'job-')")).isEqualTo(new StartsWith("id", "job-"));
        assertThat(parse("StartsWith(id,'it''s')")).isEqualTo(new StartsWith("id", "it's"));
        assertThat(parse("startswith(id, 'a') and state eq 'active'"))
                .isEqualTo(new And(new StartsWith("id", "a"), ACTIVE));
    }

    @Test
    void foldsStartsWithComparedWithABoolean() {
        StartsWith call = new StartsWith("id", "job-");
        assertThat(parse("startswith(id, 'job-') eq true")).isEqualTo(call);
        assertThat(parse("startswith(id, 'job-') ne false")).isEqualTo(call);
        assertThat(parse("startswith(id, 'job-') eq false")).isEqualTo(new Not(call));
        assertThat(parse("startswith(id, 'job-') ne true")).isEqualTo(new Not(call));
    }

    @Test
    void parsesTheFiltersBatchClientsSend() {
        assertThat(parse("(state eq 'completed') and (executionInfo/exitCode ne 0)")).isEqualTo(new And(
                COMPLETED,
                new Comparison("executionInfo/exitCode", ComparisonOperator.NE, new Literal.Int(0))));
        assertThat(parse("executionInfo/result eq 'failure'")).isEqualTo(eq("executionInfo/result", "failure"));
        assertThat(parse("stateTransitionTime le datetime'2024-06-01T12:30:00Z'")).isEqualTo(new Comparison(
                "stateTransitionTime", ComparisonOperator.LE,
                new Literal.DateTime(Instant.parse("2024-06-01T12:30:00Z"))));
    }

    static Stream<Arguments> malformedFilters() {
        return Stream.of(
                // filter, offending term, its position, part of the message
                Arguments.of("state eq", "", 8, "unexpected end of filter at position 8"),
                Arguments.of("state eq 'active", "'active", 9, "unterminated string"),
                Arguments.of("state has 'x'", "has", 6, "unsupported operator 'has' at position 6"),
                Arguments.of("substringof('a', id)", "substringof", 0, "unsupported function 'substringof'"),
                Arguments.of("state eq 'a' xor id eq 'b'", "xor", 13, "unexpected 'xor' at position 13"),
                Arguments.of("(state eq 'a'", "", 13, "expected ')'"),
                Arguments.of("state eq 'a')", ")", 12, "unexpected ')' at position 12"),
                Arguments.of("state eq #", "#", 9, "unexpected character '#'"),
                Arguments.of("state eq 'a' and", "", 16, "expected a property"),
                Arguments.of("and eq 'x'", "and", 0, "expected a property"),
                Arguments.of("state 'x'", "'x'", 6, "expected a comparison operator"),
                Arguments.of("state eq null", "null", 9, "expected a value"),
                Arguments.of("state eq eq", "eq", 9, "expected a value"),
                Arguments.of("startswith(id, 5)", "5", 15, "expected a quoted prefix"),
                Arguments.of("startswith(id 'x')", "'x'", 14, "expected ','"),
                Arguments.of("startswith(id, 'x') eq 1", "1", 23, "true or false"),
                Arguments.of("executionInfo/exitCode eq 99999999999999999999", "99999999999999999999", 26,
                        "out of range"),
                Arguments.of("creationTime gt datetime'yesterday'", "datetime'yesterday'", 16,
                        "malformed datetime"),
                Arguments.of("creationTime gt 2024-13-01T00:00:00Z", "2024-13-01T00:00:00Z", 16,
                        "malformed literal"),
                Arguments.of("executionInfo/exitCode eq 1x", "1x", 26, "malformed literal"),
                Arguments.of("()", ")", 1, "expected a property"),
                Arguments.of("   ", "", 0, "filter is empty"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedFilters")
    void malformedFilterNamesTheTermAndWhereItIs(String filter, String term, int position, String message) {
        assertThatThrownBy(() -> parse(filter))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.term()).isEqualTo(term);
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).contains(message);
                    if (!term.isEmpty()) {
                        assertThat(e.getMessage()).contains(term);
                    }
                });
    }

    @Test
    void refusesAFilterLongerThanTheLimit() {
        String filter = "id eq '" + "x".repeat(FilterParser.MAX_LENGTH) + "'";
        assertThatThrownBy(() -> parse(filter))
                .isInstanceOf(FilterException.class)
                .hasMessage("filter is " + filter.length() + " characters long; at most 2048 are allowed");
    }

    @Test
    void acceptsAFilterAtTheLengthLimit() {
        String filter = "id eq '" + "x".repeat(FilterParser.MAX_LENGTH - 8) + "'";
        assertThat(filter).hasSize(FilterParser.MAX_LENGTH);
        assertThat(parse(filter)).isEqualTo(eq("id", "x".repeat(FilterParser.MAX_LENGTH - 8)));
    }

    @Test
    void acceptsNestingUpToTheDepthLimit() {
        int depth = FilterParser.MAX_DEPTH;
        assertThat(parse("(".repeat(depth) + "state eq 'active'" + ")".repeat(depth))).isEqualTo(ACTIVE);
        FilterExpr expected = ACTIVE;
        for (int i = 0; i < depth; i++) {
            expected = new Not(expected);
        }
        assertThat(parse("not ".repeat(depth) + "state eq 'active'")).isEqualTo(expected);
    }

    @Test
    void refusesNestingBeyondTheDepthLimit() {
        int depth = FilterParser.MAX_DEPTH + 1;
        assertThatThrownBy(() -> parse("(".repeat(depth) + "state eq 'active'" + ")".repeat(depth)))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.getMessage()).startsWith("filter nests parentheses and 'not' deeper than 32 levels");
                    assertThat(e.term()).isEqualTo("(");
                    assertThat(e.position()).isEqualTo(32);
                });
        assertThatThrownBy(() -> parse("not (".repeat(depth) + "state eq 'active'" + ")".repeat(depth)))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("deeper than 32 levels");
    }

    @Test
    void aLongFlatChainIsNotTooDeep() {
        // Depth limits nesting, not length: 60 conditions joined by 'or' stay well within it.
        String filter = String.join(" or ", java.util.Collections.nCopies(60, "state eq 'active'"));
        assertThat(leaves(parse(filter))).isEqualTo(60);
    }

    private static int leaves(FilterExpr expr) {
        return switch (expr) {
            case And and -> leaves(and.left()) + leaves(and.right());
            case Or or -> leaves(or.left()) + leaves(or.right());
            case Not not -> leaves(not.operand());
            case Comparison comparison -> 1;
            case StartsWith startsWith -> 1;
        };
    }
}
