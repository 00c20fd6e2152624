package dev.rebatch.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL: the rows of many whole keys, with their lease columns, in one statement whose text is the same for any
 * number of keys. The keys travel as one array per key column; {@code unnest} turns them back into rows, and each
 * is looked up on its own through the primary key.
 *
 * <p>Why not the UNION ALL of one lookup per key that H2 runs ({@link JdbcDispatch#keysQuery}): its text changes with
 * the number of keys, and PostgreSQL plans each text again until a connection has run it five times, at about 9 ms for
 * 100 branches; running it took 2 ms more. In a 20,000-task run (pg_stat_statements with track_planning) those reads
 * were 1.3 s of PostgreSQL's 5 s. This statement plans in about 0.1 ms, once per connection, and reads 100 keys in
 * about 0.6 ms.
 *
 * <p>Why the lookup is a {@code LATERAL} subquery with {@code LIMIT 1}: PostgreSQL cannot flatten it into a join, so
 * the only plan is a nested loop over the keys with a primary-key probe for each, whatever the statistics say (a join
 * could become a scan of the whole table under statistics taken while it was small; see V4's migration). A whole key
 * names at most one row, so the limit drops nothing.
 */
final class PostgresKeyedRead {

    /** Package-private for the test that reads its plan. */
    static final String SQL = "SELECT " + JdbcDispatch.LEASED_COLUMNS
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS k(key_account, key_kind, key_parent, key_id)"
            + " CROSS JOIN LATERAL (SELECT " + JdbcDispatch.LEASED_COLUMNS + " FROM resources"
            + " WHERE account = k.key_account AND kind = k.key_kind AND parent_key = k.key_parent AND id_key = k.key_id"
            + " LIMIT 1) AS r";

    private PostgresKeyedRead() {}

    /** The rows that exist of {@code keys} (distinct keys, as the store compares them), in no particular order. */
    static List<LeasedResource> read(Connection c, List<ResourceKey> keys) throws SQLException {
        int n = keys.size();
        String[] accounts = new String[n];
        String[] kinds = new String[n];
        String[] parentKeys = new String[n];
        String[] idKeys = new String[n];
        for (int i = 0; i < n; i++) {
            ResourceKey key = keys.get(i);
            accounts[i] = key.account();
            kinds[i] = key.kind().name();
            parentKeys[i] = key.parentKey();
            idKeys[i] = key.idKey();
        }
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            int i = 1;
            for (String[] column : List.of(accounts, kinds, parentKeys, idKeys)) {
                ps.setArray(i++, c.createArrayOf("text", column));
            }
            return JdbcDispatch.readAll(ps);
        }
    }
}
