package dev.rebatch.server.query;

import java.util.Objects;
import java.util.Set;

/**
 * How one OData property maps to a store column.
 *
 * @param column          the column of {@link dev.rebatch.server.store.SqlCondition}'s list
 * @param type            its type, which the literal must match
 * @param operators       the comparisons Batch documents for it (state takes only eq and ne, times all six)
 * @param startsWith      whether {@code startswith(property, '...')} is allowed
 * @param nullable        whether the column can be NULL (then comparisons get OData's null semantics, see
 *                        {@link FilterCompiler})
 * @param caseInsensitive whether the column holds lowercased values (id_key), so literals are lowercased too
 */
record FilterProperty(String column, ValueType type, Set<ComparisonOperator> operators, boolean startsWith,
        boolean nullable, boolean caseInsensitive) {

    FilterProperty {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(type, "type");
        operators = Set.copyOf(operators);
    }
}
