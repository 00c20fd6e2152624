package dev.rebatch.server.query;

import dev.rebatch.server.query.FilterExpr.And;
import dev.rebatch.server.query.FilterExpr.Comparison;
import dev.rebatch.server.query.FilterExpr.Not;
import dev.rebatch.server.query.FilterExpr.Or;
import dev.rebatch.server.query.FilterExpr.StartsWith;
import java.util.Locale;

/**
 * Prints a filter tree back to {@code $filter} text, for the round-trip property. It adds parentheses only where
 * precedence or left associativity needs them, so the property also checks that the parser applies both; the
 * {@link Style} varies what the parser must ignore (keyword case, redundant parentheses, datetime spelling).
 */
final class FilterPrinter {

    enum DateForm {
        /** {@code datetime'2024-01-01T00:00:00Z'} */
        LOWER,
        /** {@code DateTime'2024-01-01T00:00:00Z'} */
        MIXED,
        /** {@code 2024-01-01T00:00:00Z} */
        BARE
    }

    /**
     * @param upperKeywords    AND, OR, EQ... instead of and, or, eq
     * @param extraParentheses wrap every comparison in parentheses
     * @param dateForm         how datetimes are spelled
     * @param startsWithEqTrue write {@code startswith(...) eq true}
     */
    record Style(boolean upperKeywords, boolean extraParentheses, DateForm dateForm, boolean startsWithEqTrue) {}

    private final Style style;

    private FilterPrinter(Style style) {
        this.style = style;
    }

    static String print(FilterExpr expr, Style style) {
        return new FilterPrinter(style).print(expr);
    }

    private String print(FilterExpr expr) {
        return switch (expr) {
            case Or or -> print(or.left()) + " " + keyword("or") + " " + wrapIf(or.right() instanceof Or, or.right());
            case And and -> wrapIf(and.left() instanceof Or, and.left()) + " " + keyword("and") + " "
                    + wrapIf(and.right() instanceof Or || and.right() instanceof And, and.right());
            case Not not -> keyword("not") + " "
                    + wrapIf(not.operand() instanceof Or || not.operand() instanceof And, not.operand());
            case Comparison comparison -> leaf(comparison.property() + " " + keyword(comparison.operator().odata())
                    + " " + literal(comparison.value()));
            case StartsWith startsWith -> leaf(keyword("startswith") + "(" + startsWith.property() + ", "
                    + quote(startsWith.prefix()) + ")"
                    + (style.startsWithEqTrue() ? " " + keyword("eq") + " " + keyword("true") : ""));
        };
    }

    private String wrapIf(boolean wrap, FilterExpr expr) {
        return wrap ? "(" + print(expr) + ")" : print(expr);
    }

    private String leaf(String text) {
        return style.extraParentheses() ? "(" + text + ")" : text;
    }

    private String literal(Literal literal) {
        return switch (literal) {
            case Literal.Text text -> quote(text.value());
            case Literal.Int number -> Long.toString(number.value());
            case Literal.Bool bool -> keyword(Boolean.toString(bool.value()));
            case Literal.DateTime dateTime -> switch (style.dateForm()) {
                case LOWER -> "datetime'" + dateTime.value() + "'";
                case MIXED -> "DateTime'" + dateTime.value() + "'";
                case BARE -> dateTime.value().toString();
            };
        };
    }

    private String keyword(String word) {
        return style.upperKeywords() ? word.toUpperCase(Locale.ROOT) : word;
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
