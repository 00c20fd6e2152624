package dev.rebatch.server.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL: many new rows as one statement, each inserted unless its key exists, as {@link
 * ResourceRows#INSERT_IF_ABSENT} does for one. The rows travel as one array per column and {@code unnest} turns them
 * back into rows.
 *
 * <p>Why not a JDBC batch of single-row inserts, as on the embedded databases: PostgreSQL runs each statement of a
 * batch on its own, with its own executor start and end and its own bind message, which cost more than the insert
 * itself (a task add of 100 rows: 30 µs of execution per row as a batch, 15 µs as one statement). Which rows went in
 * is read from {@code RETURNING}: a row whose key existed returns nothing.
 */
final class PostgresRowInsert {

    /** Each column's array and the type PostgreSQL reads it as; the order of {@link ResourceRows#bindAll}. */
    private static final String SQL = "INSERT INTO resources (" + ResourceRows.INSERT_COLUMNS + ") SELECT * FROM unnest("
            + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], "
            + "?::bigint[], ?::bigint[], ?::bigint[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::integer[]) "
            + "ON CONFLICT DO NOTHING RETURNING account, kind, parent_key, id_key";

    private PostgresRowInsert() {}

    /**
     * Inserts the rows whose keys are free; returns, per row, whether it went in. Of two rows with one key, the
     * first goes in (the rows are inserted in their order) and the second finds it there, as in a batch.
     *
     * @param facts puts the rows in a queue (tasks), {@code null} in none
     */
    static boolean[] insertAbsent(Connection c, List<StoredResource> rows, QueueFacts facts) throws SQLException {
        int n = rows.size();
        String[][] text = new String[11][n];
        Long[][] times = new Long[4][n];
        Integer[] exitCodes = new Integer[n];
        Integer[] ranks = new Integer[n];
        for (int r = 0; r < n; r++) {
            StoredResource row = rows.get(r);
            ResourceKey key = row.key();
            text[0][r] = key.account();
            text[1][r] = key.kind().name();
            text[2][r] = key.parentKey();
            text[3][r] = key.idKey();
            text[4][r] = key.parentId();
            text[5][r] = key.id();
            text[6][r] = row.state();
            text[7][r] = row.body();
            times[0][r] = row.version();
            times[1][r] = EpochMicros.of(row.creationTime());
            times[2][r] = EpochMicros.of(row.lastModified());
            times[3][r] = EpochMicros.of(row.stateTransitionTime());
            exitCodes[r] = row.exitCode();
            text[8][r] = row.executionResult();
            text[9][r] = row.createRequestId();
            text[10][r] = facts == null ? null : facts.poolKey();
            ranks[r] = facts == null ? null : ResourceRows.queueRank(facts.priority());
        }
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            int i = 1;
            for (int column = 0; column < 8; column++) {
                ps.setArray(i++, c.createArrayOf("text", text[column]));
            }
            for (Long[] column : times) {
                ps.setArray(i++, c.createArrayOf("bigint", column));
            }
            ps.setArray(i++, c.createArrayOf("integer", exitCodes));
            for (int column = 8; column < 11; column++) {
                ps.setArray(i++, c.createArrayOf("text", text[column]));
            }
            ps.setArray(i, c.createArrayOf("integer", ranks));
            return created(ps, rows);
        }
    }

    private static boolean[] created(PreparedStatement ps, List<StoredResource> rows) throws SQLException {
        Map<List<String>, Integer> firstRowOfKey = new HashMap<>();
        for (int r = rows.size() - 1; r >= 0; r--) {
            firstRowOfKey.put(keyOf(rows.get(r).key()), r);
        }
        boolean[] created = new boolean[rows.size()];
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Integer row = firstRowOfKey.get(List.of(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4)));
                if (row == null) {
                    throw new StoreException("PostgreSQL returned a key that was not inserted: " + rs.getString(4));
                }
                created[row] = true;
            }
        }
        return created;
    }

    private static List<String> keyOf(ResourceKey key) {
        return List.of(key.account(), key.kind().name(), key.parentKey(), key.idKey());
    }
}
