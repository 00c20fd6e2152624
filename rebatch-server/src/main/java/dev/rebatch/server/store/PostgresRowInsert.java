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
    private static final String SQL = "INSERT INTO resources (" + ResourceRows.INSERT_COLUMNS + ") "
            + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
            + "?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::integer[], ?::text[], ?::text[], "
            + "?::text[], ?::integer[]) "
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
        String[] accounts = new String[n];
        String[] kinds = new String[n];
        String[] parentKeys = new String[n];
        String[] idKeys = new String[n];
        String[] parentIds = new String[n];
        String[] ids = new String[n];
        String[] states = new String[n];
        String[] bodies = new String[n];
        Long[] versions = new Long[n];
        Long[] creationTimes = new Long[n];
        Long[] lastModified = new Long[n];
        Long[] stateTransitionTimes = new Long[n];
        Integer[] exitCodes = new Integer[n];
        String[] executionResults = new String[n];
        String[] createRequestIds = new String[n];
        String[] queuePoolKeys = new String[n];
        Integer[] queueRanks = new Integer[n];
        for (int r = 0; r < n; r++) {
            StoredResource row = rows.get(r);
            ResourceKey key = row.key();
            accounts[r] = key.account();
            kinds[r] = key.kind().name();
            parentKeys[r] = key.parentKey();
            idKeys[r] = key.idKey();
            parentIds[r] = key.parentId();
            ids[r] = key.id();
            states[r] = row.state();
            bodies[r] = row.body();
            versions[r] = row.version();
            creationTimes[r] = EpochMicros.of(row.creationTime());
            lastModified[r] = EpochMicros.of(row.lastModified());
            stateTransitionTimes[r] = EpochMicros.of(row.stateTransitionTime());
            exitCodes[r] = row.exitCode();
            executionResults[r] = row.executionResult();
            createRequestIds[r] = row.createRequestId();
            queuePoolKeys[r] = facts == null ? null : facts.poolKey();
            queueRanks[r] = facts == null ? null : ResourceRows.queueRank(facts.priority());
        }
        List<String[]> keyAndDocument = List.of(accounts, kinds, parentKeys, idKeys, parentIds, ids, states, bodies);
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            int i = 1;
            for (String[] column : keyAndDocument) {
                ps.setArray(i++, c.createArrayOf("text", column));
            }
            for (Long[] column : List.of(versions, creationTimes, lastModified, stateTransitionTimes)) {
                ps.setArray(i++, c.createArrayOf("bigint", column));
            }
            ps.setArray(i++, c.createArrayOf("integer", exitCodes));
            for (String[] column : List.of(executionResults, createRequestIds, queuePoolKeys)) {
                ps.setArray(i++, c.createArrayOf("text", column));
            }
            ps.setArray(i, c.createArrayOf("integer", queueRanks));
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
