package dev.rebatch.server.store;

import java.util.List;

/**
 * A WHERE-clause fragment over the store's filterable columns, with {@code ?} placeholders and their values in
 * order. Produced from a client's {@code $filter} by the query package; the store only appends it.
 *
 * <p>Columns a condition may use: {@code id_key} (lowercased id, text), {@code state} (text),
 * {@code creation_time}, {@code last_modified}, {@code state_transition_time} (epoch microseconds, bigint),
 * {@code exit_code} (integer), {@code execution_result} (text). Parameter values are String, Long or Integer.
 */
public record SqlCondition(String sql, List<Object> parameters) {

    /** Matches everything. */
    public static final SqlCondition ALWAYS = new SqlCondition("1=1", List.of());

    public SqlCondition {
        parameters = List.copyOf(parameters);
    }
}
