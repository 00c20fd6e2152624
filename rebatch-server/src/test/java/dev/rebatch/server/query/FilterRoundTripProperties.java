package dev.rebatch.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.query.FilterExpr.And;
import dev.rebatch.server.query.FilterExpr.Comparison;
import dev.rebatch.server.query.FilterExpr.Not;
import dev.rebatch.server.query.FilterExpr.Or;
import dev.rebatch.server.query.FilterExpr.StartsWith;
import dev.rebatch.server.query.FilterPrinter.Style;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.SqlCondition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class FilterRoundTripProperties {

    private static final int DEPTH = 4;
    private static final Set<String> RESERVED = Set.of("and", "or", "not");

    @Property
    void printedFiltersParseBackToTheSameTree(@ForAll("anyFilter") FilterExpr filter, @ForAll("styles") Style style) {
        String text = FilterPrinter.print(filter, style);
        Assume.that(text.length() <= FilterParser.MAX_LENGTH);

        assertThat(ODataFilter.parse(text)).isEqualTo(filter);
    }

    @Property
    void compiledSqlHasOnePlaceholderPerParameterAndRuns(@ForAll("validTaskFilter") FilterExpr filter)
            throws SQLException {
        SqlCondition condition = ODataFilter.compile(filter, ResourceKind.TASK);

        long placeholders = condition.sql().chars().filter(c -> c == '?').count();
        assertThat(placeholders).isEqualTo(condition.parameters().size());
        assertThat(condition.parameters()).allSatisfy(
                value -> assertThat(value).isInstanceOfAny(String.class, Integer.class, Long.class));
        // Whatever the nesting, the database accepts it behind the store's own AND.
        String sql = "SELECT COUNT(*) FROM t WHERE 1=1 AND " + condition.sql();
        try (PreparedStatement statement = h2.prepareStatement(sql)) {
            for (int i = 0; i < condition.parameters().size(); i++) {
                statement.setObject(i + 1, condition.parameters().get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    private static Connection h2;

    @BeforeContainer
    static void openDatabase() throws SQLException {
        h2 = DriverManager.getConnection("jdbc:h2:mem:filter_properties;DB_CLOSE_DELAY=-1");
        try (var statement = h2.createStatement()) {
            statement.execute("CREATE TABLE t (id_key VARCHAR(64), state VARCHAR(32), creation_time BIGINT,"
                    + " last_modified BIGINT, state_transition_time BIGINT, exit_code INTEGER,"
                    + " execution_result VARCHAR(16))");
            statement.execute("INSERT INTO t VALUES ('job-1', 'active', 0, 0, 0, NULL, NULL),"
                    + " ('a_%!', 'completed', 1, 2, 3, 0, 'success')");
        }
    }

    @AfterContainer
    static void closeDatabase() throws SQLException {
        h2.close();
    }

    // ---- generators ----

    @Provide
    Arbitrary<Style> styles() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(FilterPrinter.DateForm.class), Arbitraries.of(true, false)).as(Style::new);
    }

    /** Any tree the grammar allows, whatever its properties mean. */
    @Provide
    Arbitrary<FilterExpr> anyFilter() {
        return tree(DEPTH, anyLeaf());
    }

    /** Trees a task listing accepts: known properties, allowed operators, literals of the right type. */
    @Provide
    Arbitrary<FilterExpr> validTaskFilter() {
        return tree(DEPTH, validTaskLeaf());
    }

    private static Arbitrary<FilterExpr> tree(int depth, Arbitrary<FilterExpr> leaf) {
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<FilterExpr> sub = Arbitraries.lazy(() -> tree(depth - 1, leaf));
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf),
                Tuple.of(2, Combinators.combine(sub, sub).as((l, r) -> (FilterExpr) new And(l, r))),
                Tuple.of(2, Combinators.combine(sub, sub).as((l, r) -> (FilterExpr) new Or(l, r))),
                Tuple.of(1, sub.map(operand -> (FilterExpr) new Not(operand))));
    }

    private static Arbitrary<FilterExpr> anyLeaf() {
        Arbitrary<FilterExpr> comparison = Combinators.combine(propertyNames(),
                Arbitraries.of(ComparisonOperator.class), literals()).as(Comparison::new);
        Arbitrary<FilterExpr> startsWith = Combinators.combine(propertyNames(), texts()).as(StartsWith::new);
        return Arbitraries.frequencyOf(Tuple.of(4, comparison), Tuple.of(1, startsWith));
    }

    private static Arbitrary<FilterExpr> validTaskLeaf() {
        Arbitrary<ComparisonOperator> equality = Arbitraries.of(ComparisonOperator.EQ, ComparisonOperator.NE);
        Arbitrary<ComparisonOperator> any = Arbitraries.of(ComparisonOperator.class);
        Arbitrary<FilterExpr> text = Combinators.combine(Arbitraries.of("id", "state", "executionInfo/result"),
                equality, texts().map(Literal.Text::new)).as(Comparison::new);
        Arbitrary<FilterExpr> exitCode = Combinators.combine(any, Arbitraries.integers().map(i -> new Literal.Int(i)))
                .as((op, value) -> new Comparison("executionInfo/exitCode", op, value));
        Arbitrary<FilterExpr> time = Combinators.combine(
                Arbitraries.of("creationTime", "lastModified", "stateTransitionTime"), any,
                instants().map(Literal.DateTime::new)).as(Comparison::new);
        Arbitrary<FilterExpr> startsWith = texts().map(prefix -> new StartsWith("id", prefix));
        return Arbitraries.oneOf(text, exitCode, time, startsWith);
    }

    /** Batch's own property paths, plus made-up identifiers and paths (the parser does not judge names). */
    private static Arbitrary<String> propertyNames() {
        Arbitrary<String> segment = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withChars('_').ofMinLength(1).ofMaxLength(8)
                .filter(s -> !RESERVED.contains(s.toLowerCase(Locale.ROOT)));
        Arbitrary<String> made = Combinators.combine(segment, segment.injectNull(0.7))
                .as((first, second) -> second == null ? first : first + "/" + second);
        return Arbitraries.oneOf(made, Arbitraries.of("id", "state", "creationTime", "executionInfo/exitCode",
                "executionInfo/result", "stateTransitionTime", "lastModified"));
    }

    private static Arbitrary<Literal> literals() {
        return Arbitraries.oneOf(
                texts().map(Literal.Text::new),
                Arbitraries.longs().map(Literal.Int::new),
                instants().map(Literal.DateTime::new),
                Arbitraries.of(true, false).map(Literal.Bool::new));
    }

    /** Any characters, with quotes, spaces, keywords and LIKE wildcards made likely. */
    private static Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withChars("'%_! ()aAzZ-").ofMaxLength(12),
                Arbitraries.of("", "''", " and ", "job-1", "it's"));
    }

    /** Instants of years 1..9999 down to the nanosecond (the ISO form without a sign covers them). */
    private static Arbitrary<Instant> instants() {
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        return Combinators.combine(Arbitraries.longs().between(min, max),
                Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999_999_999)))
                .as(Instant::ofEpochSecond);
    }
}
