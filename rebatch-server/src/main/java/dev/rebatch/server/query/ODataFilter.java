package dev.rebatch.server.query;

import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.SqlCondition;

/**
 * The entry point for list operations: turns a client's {@code $filter} into the {@link SqlCondition} the store
 * appends to its query. Every failure is a {@link FilterException}, which the HTTP layer answers with 400
 * InvalidQueryParameterValue naming {@code $filter} and {@link FilterException#term()}.
 *
 * <pre>{@code
 * SqlCondition where = ODataFilter.compile("(state eq 'completed') and (executionInfo/exitCode ne 0)",
 *         ResourceKind.TASK);
 * }</pre>
 */
public final class ODataFilter {

    private ODataFilter() {}

    /**
     * Parses and compiles a filter for one resource kind.
     *
     * @param filter the {@code $filter} query parameter as received, already URL-decoded; null or blank (the
     *               parameter absent or empty) means no filter
     * @return {@link SqlCondition#ALWAYS} for no filter, otherwise a parenthesized condition with {@code ?}
     *         parameters
     * @throws FilterException when the filter is malformed, too long or too deep, or uses a property, operator,
     *                         function or value type the kind does not support
     */
    public static SqlCondition compile(String filter, ResourceKind kind) {
        if (filter == null || filter.isBlank()) {
            return SqlCondition.ALWAYS;
        }
        return compile(parse(filter), kind);
    }

    /** Parses a filter without judging its properties (that needs a resource kind). */
    public static FilterExpr parse(String filter) {
        return FilterParser.parse(filter);
    }

    /** Compiles an already parsed filter for one resource kind. */
    public static SqlCondition compile(FilterExpr filter, ResourceKind kind) {
        return FilterCompiler.compile(filter, kind);
    }
}
