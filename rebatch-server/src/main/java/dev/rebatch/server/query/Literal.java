package dev.rebatch.server.query;

import java.time.Instant;
import java.util.Objects;

/** A constant on the right of a comparison. */
public sealed interface Literal {

    /** How error messages name this kind of literal. */
    String typeName();

    /** {@code 'text'}, with {@code ''} in the filter standing for one quote. */
    record Text(String value) implements Literal {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String typeName() {
            return "string";
        }
    }

    /** A whole number, possibly negative; range-checked against the column when compiled. */
    record Int(long value) implements Literal {
        @Override
        public String typeName() {
            return "integer";
        }
    }

    /** {@code datetime'2024-01-01T00:00:00Z'} or a bare ISO-8601 instant. */
    record DateTime(Instant value) implements Literal {
        public DateTime {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String typeName() {
            return "datetime";
        }
    }

    /** {@code true} or {@code false}. No column is boolean today; parsed so the error can say so precisely. */
    record Bool(boolean value) implements Literal {
        @Override
        public String typeName() {
            return "boolean";
        }
    }
}
