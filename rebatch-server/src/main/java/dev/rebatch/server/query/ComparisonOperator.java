package dev.rebatch.server.query;

import java.util.Locale;
import java.util.Optional;

/** The OData comparison operators, with the SQL operator each becomes. */
public enum ComparisonOperator {
    EQ("="),
    NE("<>"),
    GT(">"),
    LT("<"),
    GE(">="),
    LE("<=");

    private final String sql;

    ComparisonOperator(String sql) {
        this.sql = sql;
    }

    /** The operator as OData spells it: "eq", "ne"... */
    public String odata() {
        return name().toLowerCase(Locale.ROOT);
    }

    String sql() {
        return sql;
    }

    /** The operator for an OData keyword, matched case-insensitively (clients send "eq" and "Eq" alike). */
    public static Optional<ComparisonOperator> fromKeyword(String word) {
        for (ComparisonOperator op : values()) {
            if (op.odata().equalsIgnoreCase(word)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
