package dev.rebatch.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one {@link BatchStore} implementation, over JDBC, for PostgreSQL and the embedded databases alike.
 *
 * <p>Concurrency rests on two things the database enforces, so that several service instances may share one
 * PostgreSQL database: the primary key (account, kind, parent_key, id_key) makes creates unique, and every update
 * names the version it read ({@code WHERE ... AND version = ?}). Nothing is cached in the JVM.
 *
 * <p>Durability is the database's: each method commits before it returns, and {@link BatchStores} configures the
 * embedded database so that a commit has reached the operating system.
 */
public final class JdbcBatchStore implements BatchStore {

    /** Bound on re-trying an insert whose conflicting row vanished before it could be read (a concurrent delete). */
    private static final int MAX_INSERT_ATTEMPTS = 10;

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    /** Held around every write when the database has a single writer (SQLite); absent otherwise. */
    private final ReentrantLock writeLock;

    JdbcBatchStore(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.writeLock = dialect.singleWriter() ? new ReentrantLock(true) : null;
    }

    Dialect dialect() {
        return dialect;
    }

    @Override
    public StoredResource insert(StoredResource resource) {
        StoredResource row = ResourceRows.asNew(resource);
        return write(c -> {
            for (int attempt = 0; attempt < MAX_INSERT_ATTEMPTS; attempt++) {
                try (PreparedStatement ps = c.prepareStatement(ResourceRows.INSERT)) {
                    ResourceRows.bindAll(ps, row);
                    ps.executeUpdate();
                    return row;
                } catch (SQLException e) {
                    if (!dialect.isUniqueViolation(e)) {
                        throw e;
                    }
                }
                Optional<StoredResource> existing = select(c, row.key());
                if (existing.isPresent()) {
                    throw new ResourceExistsException(existing.get());
                }
                // Deleted between our insert and our read: the id is free again, so try once more.
            }
            throw new StoreException("Could not insert " + row.key() + ": it kept being created and deleted");
        });
    }

    @Override
    public List<InsertOutcome> insertAll(List<StoredResource> resources) {
        if (resources.isEmpty()) {
            return List.of();
        }
        List<StoredResource> rows = resources.stream().map(ResourceRows::asNew).toList();
        return transaction(c -> {
            int[] counts;
            // One batch: PostgreSQL pipelines it, the embedded databases run it without a round trip per row.
            try (PreparedStatement ps = c.prepareStatement(ResourceRows.INSERT_IF_ABSENT)) {
                for (StoredResource row : rows) {
                    ResourceRows.bindAll(ps, row);
                    ps.addBatch();
                }
                counts = ps.executeBatch();
            }
            List<InsertOutcome> outcomes = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                StoredResource row = rows.get(i);
                outcomes.add(switch (counts[i]) {
                    case 1 -> new InsertOutcome(row, true);
                    case 0 -> insertOrFind(c, row);
                    // Statement.SUCCESS_NO_INFO comes from a driver that rewrites batches into one statement.
                    default -> throw new StoreException("Unexpected update count " + counts[i] + " for " + row.key()
                            + "; insertAll needs one count per row (do not set reWriteBatchedInserts=true)");
                });
            }
            return outcomes;
        });
    }

    /** The row already existed (or was a duplicate earlier in the same batch): return what is stored. */
    private InsertOutcome insertOrFind(Connection c, StoredResource row) throws SQLException {
        for (int attempt = 0; attempt < MAX_INSERT_ATTEMPTS; attempt++) {
            Optional<StoredResource> existing = select(c, row.key());
            if (existing.isPresent()) {
                return new InsertOutcome(existing.get(), false);
            }
            try (PreparedStatement ps = c.prepareStatement(ResourceRows.INSERT_IF_ABSENT)) {
                ResourceRows.bindAll(ps, row);
                if (ps.executeUpdate() == 1) {
                    return new InsertOutcome(row, true);
                }
            }
        }
        throw new StoreException("Could not insert " + row.key() + ": it kept being created and deleted");
    }

    @Override
    public Optional<StoredResource> find(ResourceKey key) {
        return read(c -> select(c, key));
    }

    private static Optional<StoredResource> select(Connection c, ResourceKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ResourceRows.SELECT_ONE)) {
            ResourceRows.bindKey(ps, 1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ResourceRows.read(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public StoredResource update(StoredResource resource) {
        StoredResource updated = ResourceRows.asUpdated(resource);
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement(ResourceRows.UPDATE)) {
                ResourceRows.bindUpdate(ps, resource);
                if (ps.executeUpdate() != 1) {
                    throw new StaleVersionException(resource.key(), resource.version());
                }
                return updated;
            }
        });
    }

    @Override
    public boolean delete(ResourceKey key) {
        ResourceKind childKind = switch (key.kind()) {
            case POOL -> ResourceKind.NODE;
            case JOB -> ResourceKind.TASK;
            case TASK, NODE -> null;
        };
        return transaction(c -> {
            boolean deleted;
            try (PreparedStatement ps = c.prepareStatement(ResourceRows.DELETE_ONE)) {
                ResourceRows.bindKey(ps, 1, key);
                deleted = ps.executeUpdate() > 0;
            }
            if (childKind != null) {
                try (PreparedStatement ps = c.prepareStatement(ResourceRows.DELETE_CHILDREN)) {
                    ps.setString(1, key.account());
                    ps.setString(2, childKind.name());
                    ps.setString(3, key.idKey());
                    ps.executeUpdate();
                }
            }
            return deleted;
        });
    }

    @Override
    public Page list(ListQuery query) {
        if (query.limit() < 1 || query.limit() > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000: " + query.limit());
        }
        SqlCondition filter = query.filter() == null ? SqlCondition.ALWAYS : query.filter();
        StringBuilder sql = new StringBuilder("SELECT ").append(ResourceRows.COLUMNS)
                .append(" FROM resources WHERE ").append(ResourceRows.CHILDREN_MATCH)
                .append(" AND (").append(filter.sql()).append(')');
        if (query.afterKey() != null) {
            sql.append(" AND id_key > ?");
        }
        // One more than asked tells whether another page exists without a count.
        sql.append(" ORDER BY id_key LIMIT ?");
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setString(i++, query.account());
                ps.setString(i++, query.kind().name());
                ps.setString(i++, ResourceKey.lower(query.parentId()));
                for (Object parameter : filter.parameters()) {
                    ps.setObject(i++, parameter);
                }
                if (query.afterKey() != null) {
                    ps.setString(i++, query.afterKey());
                }
                ps.setInt(i, query.limit() + 1);
                List<StoredResource> items = new ArrayList<>(Math.min(query.limit() + 1, 128));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(ResourceRows.read(rs));
                    }
                }
                if (items.size() <= query.limit()) {
                    return new Page(items, null);
                }
                List<StoredResource> page = items.subList(0, query.limit());
                return new Page(page, page.getLast().key().idKey());
            }
        });
    }

    @Override
    public List<StoredResource> findInState(ResourceKind kind, String state, int limit) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(ResourceRows.SELECT_IN_STATE)) {
                ps.setString(1, kind.name());
                ps.setString(2, state);
                ps.setInt(3, limit);
                List<StoredResource> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(ResourceRows.read(rs));
                    }
                }
                return found;
            }
        });
    }

    /**
     * Saturated when more requests queue for a connection than the pool has connections: a new request would wait
     * at least a whole round of queries. A few waiters are normal under load and are not shed.
     */
    @Override
    public boolean isSaturated() {
        var pool = dataSource.getHikariPoolMXBean();
        return pool != null && pool.getThreadsAwaitingConnection() > dataSource.getMaximumPoolSize();
    }

    @Override
    public Map<String, Long> countByState(String account, ResourceKind kind, String parentId) {
        return countBy("state", account, kind, parentId);
    }

    @Override
    public Map<String, Long> countByResult(String account, ResourceKind kind, String parentId) {
        return countBy("execution_result", account, kind, parentId);
    }

    /** {@code column} is one of two constants above, never input. */
    private Map<String, Long> countBy(String column, String account, ResourceKind kind, String parentId) {
        String sql = "SELECT " + column + ", COUNT(*) FROM resources WHERE " + ResourceRows.CHILDREN_MATCH
                + " AND " + column + " IS NOT NULL GROUP BY " + column + " ORDER BY " + column;
        return read(c -> {
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
        });
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** Work on a connection; may throw the store's own exceptions, which pass through unchanged. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** A read in autocommit mode: one statement, its own consistent snapshot. */
    private <T> T read(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("Store read failed", e);
        }
    }

    /** A write made of single autocommitted statements. */
    private <T> T write(SqlWork<T> work) {
        lockWrites();
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("Store write failed", e);
        } finally {
            unlockWrites();
        }
    }

    /** Several statements that commit together or not at all. */
    private <T> T transaction(SqlWork<T> work) {
        lockWrites();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
            // No setAutoCommit(true) here: HikariCP restores it when the connection returns to the pool.
        } catch (SQLException e) {
            throw new StoreException("Store transaction failed", e);
        } finally {
            unlockWrites();
        }
    }

    private static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void lockWrites() {
        if (writeLock != null) {
            writeLock.lock();
        }
    }

    private void unlockWrites() {
        if (writeLock != null) {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "JdbcBatchStore[" + dialect + ", " + dataSource.getJdbcUrl() + "]";
    }
}
