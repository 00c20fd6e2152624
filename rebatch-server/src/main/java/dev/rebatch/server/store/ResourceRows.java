package dev.rebatch.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SQL of the one {@code resources} table and the mapping between its rows and {@link StoredResource}. The
 * statements are the same on every database; only what {@link Dialect} names differs.
 */
final class ResourceRows {

    /** Every column, in the order {@link #bindAll} binds and {@link #read} reads them. */
    static final String COLUMNS = "account, kind, parent_key, id_key, parent_id, id, state, body, version, "
            + "creation_time, last_modified, state_transition_time, exit_code, execution_result, create_request_id";

    /** The lease columns (V3), read after {@link #COLUMNS} by {@link #readLease}. */
    static final String LEASE_COLUMNS = "lease_node, lease_epoch, lease_expires_at";

    /** A new row also gets its queue facts (V3); {@link #bindAll} binds them last, NULL for all but queued tasks. */
    static final String INSERT_COLUMNS = COLUMNS + ", queue_pool_key, queue_rank";

    private static final String PLACEHOLDERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

    static final String KEY_MATCH = "account = ? AND kind = ? AND parent_key = ? AND id_key = ?";

    static final String INSERT = "INSERT INTO resources (" + INSERT_COLUMNS + ") VALUES (" + PLACEHOLDERS + ")";

    /**
     * Inserts unless the key exists; the update count says which (1 created, 0 existed). The database resolves
     * the race with a concurrent insert of the same key instead of failing, which a read-then-insert cannot.
     * PostgreSQL and SQLite (3.24+) speak this natively, H2 in its PostgreSQL mode.
     */
    static final String INSERT_IF_ABSENT = INSERT + " ON CONFLICT DO NOTHING";

    static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM resources WHERE " + KEY_MATCH;

    /**
     * The key, the id's spelling and the creation facts never change; everything else is replaced. A task that leaves
     * the leased states loses its lease's expiry (its node and epoch stay, for the fencing of late reports): the
     * expiry index (V3, {@code WHERE lease_expires_at IS NOT NULL}) then holds leased tasks only, not every task that
     * ever ran, and a completion removes the task's entry rather than moving it (on PostgreSQL, whose every update
     * adds an entry to each index whose predicate the new row meets, it adds none). Nodes keep theirs: it is their
     * liveness.
     */
    static final String UPDATE = "UPDATE resources SET state = ?, body = ?, version = version + 1, "
            + "last_modified = ?, state_transition_time = ?, exit_code = ?, execution_result = ?, "
            + "lease_expires_at = CASE WHEN kind <> 'TASK' OR ? IN " + literalList(DispatchStore.LEASED)
            + " THEN lease_expires_at END "
            + "WHERE " + KEY_MATCH + " AND version = ?";

    /**
     * Across accounts, for the service's own work (resources_by_kind_state, which holds no task since V6: the literal
     * lets the planner use it).
     */
    static final String SELECT_IN_STATE = "SELECT " + COLUMNS + " FROM resources WHERE kind = ? AND state = ? "
            + "AND kind <> 'TASK' "
            + "ORDER BY account, id_key LIMIT ?";

    static final String DELETE_ONE = "DELETE FROM resources WHERE " + KEY_MATCH;

    static final String DELETE_VERSION = DELETE_ONE + " AND version = ?";

    /** Children of a pool (nodes) or a job (tasks) share the parent's account and carry its id key. */
    static final String DELETE_CHILDREN = "DELETE FROM resources WHERE account = ? AND kind = ? AND parent_key = ?";

    static final String CHILDREN_MATCH = "account = ? AND kind = ? AND parent_key = ?";

    private ResourceRows() {}

    /** {@code ('a', 'b')} from constants of this package (task states), never from input. */
    static String literalList(Set<String> values) {
        return values.stream().sorted().map(v -> "'" + v.replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** What the store keeps of a new resource: version 1 and times at microsecond precision. */
    static StoredResource asNew(StoredResource r) {
        return new StoredResource(r.key(), r.state(), r.body(), 1L, EpochMicros.truncate(r.creationTime()),
                EpochMicros.truncate(r.lastModified()), EpochMicros.truncate(r.stateTransitionTime()), r.exitCode(),
                r.executionResult(), r.createRequestId());
    }

    /**
     * What an update returns: the next version, times at microsecond precision. The creation time, create request
     * id and id spelling are never rewritten (see {@link #UPDATE}); the caller's copy carries them as it read them.
     */
    static StoredResource asUpdated(StoredResource r) {
        return new StoredResource(r.key(), r.state(), r.body(), r.version() + 1,
                EpochMicros.truncate(r.creationTime()), EpochMicros.truncate(r.lastModified()),
                EpochMicros.truncate(r.stateTransitionTime()), r.exitCode(), r.executionResult(),
                r.createRequestId());
    }

    /** Binds the four key columns starting at {@code first}; returns the next parameter index. */
    static int bindKey(PreparedStatement ps, int first, ResourceKey key) throws SQLException {
        ps.setString(first, key.account());
        ps.setString(first + 1, key.kind().name());
        ps.setString(first + 2, key.parentKey());
        ps.setString(first + 3, key.idKey());
        return first + 4;
    }

    /** Binds a whole new row; {@code facts} puts it in a queue (a task), {@code null} in none. */
    static void bindAll(PreparedStatement ps, StoredResource r, QueueFacts facts) throws SQLException {
        int i = bindKey(ps, 1, r.key());
        ps.setString(i++, r.key().parentId());
        ps.setString(i++, r.key().id());
        ps.setString(i++, r.state());
        ps.setString(i++, r.body());
        ps.setLong(i++, r.version());
        ps.setLong(i++, EpochMicros.of(r.creationTime()));
        ps.setLong(i++, EpochMicros.of(r.lastModified()));
        ps.setLong(i++, EpochMicros.of(r.stateTransitionTime()));
        setNullableInt(ps, i++, r.exitCode());
        setNullableString(ps, i++, r.executionResult());
        setNullableString(ps, i++, r.createRequestId());
        if (facts == null) {
            ps.setNull(i++, Types.VARCHAR);
            ps.setNull(i, Types.INTEGER);
        } else {
            setNullableString(ps, i++, facts.poolKey());
            ps.setInt(i, queueRank(facts.priority()));
        }
    }

    /** The queue_rank column: minus the priority, so that ascending rank is descending priority. */
    static int queueRank(int priority) {
        return -priority;
    }

    /** The lease columns of a row read with {@link #COLUMNS} then {@link #LEASE_COLUMNS}. */
    static Lease readLease(ResultSet rs) throws SQLException {
        long expires = rs.getLong("lease_expires_at");
        Instant expiresAt = rs.wasNull() ? null : EpochMicros.toInstant(expires);
        return new Lease(rs.getString("lease_node"), rs.getLong("lease_epoch"), expiresAt);
    }

    /** Binds {@link #UPDATE}'s parameters; returns the next parameter index (for conditions appended to it). */
    static int bindUpdate(PreparedStatement ps, StoredResource r) throws SQLException {
        int i = 1;
        ps.setString(i++, r.state());
        ps.setString(i++, r.body());
        ps.setLong(i++, EpochMicros.of(r.lastModified()));
        ps.setLong(i++, EpochMicros.of(r.stateTransitionTime()));
        setNullableInt(ps, i++, r.exitCode());
        setNullableString(ps, i++, r.executionResult());
        ps.setString(i++, r.state());
        i = bindKey(ps, i, r.key());
        ps.setLong(i, r.version());
        return i + 1;
    }

    static Optional<StoredResource> selectOne(Connection c, ResourceKey key) throws SQLException {
        return selectOne(c, key, "");
    }

    /** The row, read with {@code lockClause} appended (a {@link Dialect} row lock, or empty). */
    static Optional<StoredResource> selectOne(Connection c, ResourceKey key, String lockClause) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_ONE + lockClause)) {
            bindKey(ps, 1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * How many children of a parent have each value of {@code column} ("state" or "execution_result": constants of
     * the callers, never input).
     */
    static Map<String, Long> countBy(Connection c, String column, String account, ResourceKind kind, String parentId)
            throws SQLException {
        String sql = "SELECT " + column + ", COUNT(*) FROM resources WHERE " + CHILDREN_MATCH
                + " AND " + column + " IS NOT NULL GROUP BY " + column + " ORDER BY " + column;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, account);
            ps.setString(2, kind.name());
            ps.setString(3, ResourceKey.lower(parentId));
            Map<String, Long> counts = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        }
    }

    static StoredResource read(ResultSet rs) throws SQLException {
        ResourceKey key = new ResourceKey(rs.getString("account"), ResourceKind.valueOf(rs.getString("kind")),
                rs.getString("parent_id"), rs.getString("id"));
        int exitCode = rs.getInt("exit_code");
        Integer nullableExitCode = rs.wasNull() ? null : exitCode;
        return new StoredResource(key, rs.getString("state"), rs.getString("body"), rs.getLong("version"),
                EpochMicros.toInstant(rs.getLong("creation_time")), EpochMicros.toInstant(rs.getLong("last_modified")),
                EpochMicros.toInstant(rs.getLong("state_transition_time")), nullableExitCode,
                rs.getString("execution_result"), rs.getString("create_request_id"));
    }

    static void setNullableInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
