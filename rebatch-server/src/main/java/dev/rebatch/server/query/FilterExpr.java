package dev.rebatch.server.query;

import java.util.Objects;

/**
 * The parsed form of a {@code $filter}: immutable, compared by value, with no trace of the parentheses or keyword
 * casing the client used (so two spellings of one filter give equal trees).
 */
public sealed interface FilterExpr {

    /** {@code left and right}. */
    record And(FilterExpr left, FilterExpr right) implements FilterExpr {
        public And {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code left or right}. */
    record Or(FilterExpr left, FilterExpr right) implements FilterExpr {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code not operand}. */
    record Not(FilterExpr operand) implements FilterExpr {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /**
     * {@code property op value}.
     *
     * @param property the OData property path as written, e.g. "executionInfo/exitCode" (case-sensitive)
     */
    record Comparison(String property, ComparisonOperator operator, Literal value) implements FilterExpr {
        public Comparison {
            Objects.requireNonNull(property, "property");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code startswith(property, 'prefix')}. */
    record StartsWith(String property, String prefix) implements FilterExpr {
        public StartsWith {
            Objects.requireNonNull(property, "property");
            Objects.requireNonNull(prefix, "prefix");
        }
    }
}
