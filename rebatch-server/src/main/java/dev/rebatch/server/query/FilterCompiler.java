package dev.rebatch.server.query;

import dev.rebatch.server.query.FilterExpr.And;
import dev.rebatch.server.query.FilterExpr.Comparison;
import dev.rebatch.server.query.FilterExpr.Not;
import dev.rebatch.server.query.FilterExpr.Or;
import dev.rebatch.server.query.FilterExpr.StartsWith;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.SqlCondition;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a filter tree into a {@link SqlCondition} for one resource kind. Values only ever travel as {@code ?}
 * parameters. Every AND, OR and NOT, and every comparison on a nullable column, is wrapped in parentheses, so
 * each piece is an atom to the piece around it and the store can append the whole behind its own {@code AND}.
 *
 * <p><b>NULL semantics.</b> A task that has not finished has no exit code and no result (NULL columns). We follow
 * OData v4 rather than SQL: null is a value, not "unknown". So a task without an exit code does <em>not</em> match
 * {@code executionInfo/exitCode eq 0} nor {@code gt}/{@code ge}/{@code lt}/{@code le}, but <em>does</em> match
 * {@code executionInfo/exitCode ne 0} (it is indeed not 0), and {@code not (... eq 0)} matches it too. SQL's
 * three-valued logic would drop it from {@code ne} and from {@code not}, making {@code not (x eq 0)} differ from
 * {@code x ne 0}, which surprises clients. Each comparison on a nullable column is therefore made two-valued:
 * {@code (c IS NOT NULL AND c op ?)}, or {@code (c IS NULL OR c <> ?)} for {@code ne}. The useful case for Batch:
 * {@code (state eq 'completed') and (executionInfo/exitCode ne 0)} finds the tasks that ended in failure including
 * those that could not start at all (completed, but no exit code).
 */
final class FilterCompiler {

    /**
     * The LIKE escape character. Not a backslash: PostgreSQL with {@code standard_conforming_strings=off} would read
     * {@code '\'} as an unterminated literal, while {@code '!'} means the same on H2, SQLite and PostgreSQL.
     */
    static final char LIKE_ESCAPE = '!';

    private final Map<String, FilterProperty> properties;
    private final ResourceKind kind;
    private final List<Object> parameters = new ArrayList<>();

    private FilterCompiler(ResourceKind kind) {
        this.kind = kind;
        this.properties = FilterProperties.of(kind);
    }

    static SqlCondition compile(FilterExpr filter, ResourceKind kind) {
        FilterCompiler compiler = new FilterCompiler(kind);
        String sql = compiler.sql(filter);
        return new SqlCondition(sql, compiler.parameters);
    }

    private String sql(FilterExpr expr) {
        return switch (expr) {
            case And and -> "(" + sql(and.left()) + " AND " + sql(and.right()) + ")";
            case Or or -> "(" + sql(or.left()) + " OR " + sql(or.right()) + ")";
            case Not not -> "(NOT " + sql(not.operand()) + ")";
            case Comparison comparison -> comparison(comparison);
            case StartsWith startsWith -> startsWith(startsWith);
        };
    }

    private String comparison(Comparison comparison) {
        FilterProperty property = property(comparison.property());
        ComparisonOperator op = comparison.operator();
        if (!property.operators().contains(op)) {
            throw new FilterException("operator '" + op.odata() + "' is not supported for property '"
                    + comparison.property() + "'; it takes " + names(property), op.odata(), -1);
        }
        Literal literal = comparison.value();
        return switch (property.type()) {
            case TEXT -> {
                String text = requireType(literal, Literal.Text.class, comparison).value();
                yield predicate(property, op, property.caseInsensitive() ? ResourceKey.lower(text) : text);
            }
            case INTEGER -> {
                long value = requireType(literal, Literal.Int.class, comparison).value();
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    throw new FilterException("integer " + value + " is out of range for property '"
                            + comparison.property() + "'", Long.toString(value), -1);
                }
                yield predicate(property, op, (int) value);
            }
            case TIMESTAMP -> timestamp(property, op, requireType(literal, Literal.DateTime.class, comparison).value());
        };
    }

    /**
     * Columns hold whole microseconds, but clients may send finer instants (.NET writes 7 fractional digits). For
     * a literal between two microseconds, compare against the microsecond below it with the operator that keeps the
     * exact meaning: t &gt; L and t &ge; L both mean t &gt; floor(L); t &lt; L and t &le; L both mean
     * t &le; floor(L); eq never holds and ne always does.
     */
    private String timestamp(FilterProperty property, ComparisonOperator op, Instant instant) {
        long micros = epochMicros(instant);
        if (instant.getNano() % 1_000 == 0) {
            return predicate(property, op, micros);
        }
        return switch (op) {
            case EQ -> "1=0";
            case NE -> "1=1";
            case GT, GE -> predicate(property, ComparisonOperator.GT, micros);
            case LT, LE -> predicate(property, ComparisonOperator.LE, micros);
        };
    }

    /** Epoch microseconds, rounded down (towards the past, also before 1970). */
    static long epochMicros(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        } catch (ArithmeticException overflow) {
            String text = DateTimeFormatter.ISO_INSTANT.format(instant);
            throw new FilterException("datetime " + text + " is out of range", text, -1);
        }
    }

    /** A comparison of a column with one parameter; two-valued on nullable columns (see the class comment). */
    private String predicate(FilterProperty property, ComparisonOperator op, Object value) {
        parameters.add(value);
        String compare = property.column() + " " + op.sql() + " ?";
        if (!property.nullable()) {
            return compare;
        }
        return op == ComparisonOperator.NE
                ? "(" + property.column() + " IS NULL OR " + compare + ")"
                : "(" + property.column() + " IS NOT NULL AND " + compare + ")";
    }

    private String startsWith(StartsWith startsWith) {
        FilterProperty property = property(startsWith.property());
        if (!property.startsWith()) {
            throw new FilterException("startswith is not supported for property '" + startsWith.property() + "'",
                    "startswith", -1);
        }
        String prefix = property.caseInsensitive() ? ResourceKey.lower(startsWith.prefix()) : startsWith.prefix();
        parameters.add(escapeLike(prefix) + "%");
        String like = property.column() + " LIKE ? ESCAPE '" + LIKE_ESCAPE + "'";
        return property.nullable() ? "(" + property.column() + " IS NOT NULL AND " + like + ")" : like;
    }

    /** The prefix as a LIKE pattern that matches it literally: its wildcards and the escape char are escaped. */
    static String escapeLike(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
                escaped.append(LIKE_ESCAPE);
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    private FilterProperty property(String name) {
        FilterProperty property = properties.get(name);
        if (property == null) {
            throw new FilterException("unsupported property '" + name + "' for " + kindName() + "; supported: "
                    + String.join(", ", new TreeSet<>(properties.keySet())), name, -1);
        }
        return property;
    }

    private <L extends Literal> L requireType(Literal literal, Class<L> type, Comparison comparison) {
        if (type.isInstance(literal)) {
            return type.cast(literal);
        }
        String text = odata(literal);
        throw new FilterException("property '" + comparison.property() + "' takes "
                + property(comparison.property()).type().expected() + ", not the " + literal.typeName() + " "
                + text, text, -1);
    }

    private static String names(FilterProperty property) {
        return String.join(", ", property.operators().stream().sorted().map(ComparisonOperator::odata).toList());
    }

    private String kindName() {
        return kind.name().toLowerCase(Locale.ROOT) + "s";
    }

    /** A literal as the client would have written it, for error messages. */
    private static String odata(Literal literal) {
        return switch (literal) {
            case Literal.Text text -> "'" + text.value().replace("'", "''") + "'";
            case Literal.Int number -> Long.toString(number.value());
            case Literal.DateTime dateTime ->
                    "datetime'" + DateTimeFormatter.ISO_INSTANT.format(dateTime.value()) + "'";
            case Literal.Bool bool -> Boolean.toString(bool.value());
        };
    }
}
