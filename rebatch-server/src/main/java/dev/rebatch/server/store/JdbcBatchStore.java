package dev.rebatch.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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
    private final StoreConnections connections;
    private final JdbcDispatch dispatch;
    /** The embedded store's hold on its data directory; nothing for PostgreSQL. */
    private final AutoCloseable releaseAfterClose;

    JdbcBatchStore(HikariDataSource dataSource, Dialect dialect, AutoCloseable releaseAfterClose) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.releaseAfterClose = releaseAfterClose;
        this.connections = new StoreConnections(dataSource, dialect);
        this.dispatch = new JdbcDispatch(connections, dialect);
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
                    ResourceRows.bindAll(ps, row, null);
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
        return insertAll(null, resources, null);
    }

    @Override
    public StoredResource insertUnder(ParentCondition parent, StoredResource resource) {
        InsertOutcome outcome = insertAll(parent, List.of(resource), null).getFirst();
        if (!outcome.created()) {
            throw new ResourceExistsException(outcome.resource());
        }
        return outcome.resource();
    }

    @Override
    public List<InsertOutcome> insertTasks(ParentCondition job, List<StoredResource> tasks, QueueFacts facts) {
        for (StoredResource task : tasks) {
            if (task.key().kind() != ResourceKind.TASK || !task.key().parentKey().equals(job.parent().idKey())) {
                throw new IllegalArgumentException("Only tasks of job " + job.parent().id() + " wait in its queue: "
                        + task.key());
            }
        }
        return insertAll(job, tasks, facts);
    }

    /**
     * Inserts each row that does not exist yet, in one transaction; {@code facts} queues them (tasks only). With a
     * {@code parent} condition, the parent's row is locked and checked first (see {@link ParentCondition}).
     */
    private List<InsertOutcome> insertAll(ParentCondition parent, List<StoredResource> resources, QueueFacts facts) {
        if (resources.isEmpty()) {
            return List.of();
        }
        List<StoredResource> rows = resources.stream().map(ResourceRows::asNew).toList();
        return transaction(c -> {
            if (parent != null) {
                Optional<StoredResource> current = ResourceRows.selectOne(c, parent.parent(), dialect.lockRowShared());
                if (!parent.holdsFor(current)) {
                    throw new ParentChangedException(parent, current);
                }
            }
            boolean[] created = dialect == Dialect.POSTGRESQL ? PostgresRowInsert.insertAbsent(c, rows, facts)
                    : insertBatch(c, rows, facts);
            List<InsertOutcome> outcomes = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                StoredResource row = rows.get(i);
                outcomes.add(created[i] ? new InsertOutcome(row, true) : insertOrFind(c, row, facts));
            }
            return outcomes;
        });
    }

    /**
     * The embedded databases: one JDBC batch of single-row inserts, run without a round trip per row; per row,
     * whether it went in.
     */
    private static boolean[] insertBatch(Connection c, List<StoredResource> rows, QueueFacts facts)
            throws SQLException {
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(ResourceRows.INSERT_IF_ABSENT)) {
            for (StoredResource row : rows) {
                ResourceRows.bindAll(ps, row, facts);
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        boolean[] created = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            created[i] = switch (counts[i]) {
                case 1 -> true;
                case 0 -> false;
                default -> throw new StoreException("Unexpected update count " + counts[i] + " for "
                        + rows.get(i).key() + "; insertAll needs one count per row");
            };
        }
        return created;
    }

    /** The row already existed (or was a duplicate earlier in the same batch): return what is stored. */
    private InsertOutcome insertOrFind(Connection c, StoredResource row, QueueFacts facts) throws SQLException {
        for (int attempt = 0; attempt < MAX_INSERT_ATTEMPTS; attempt++) {
            Optional<StoredResource> existing = select(c, row.key());
            if (existing.isPresent()) {
                return new InsertOutcome(existing.get(), false);
            }
            try (PreparedStatement ps = c.prepareStatement(ResourceRows.INSERT_IF_ABSENT)) {
                ResourceRows.bindAll(ps, row, facts);
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
        return ResourceRows.selectOne(c, key);
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
    public List<Optional<StoredResource>> updateAll(List<StoredResource> resources) {
        if (resources.isEmpty()) {
            return List.of();
        }
        return transaction(c -> {
            int[] counts;
            try (PreparedStatement ps = c.prepareStatement(ResourceRows.UPDATE)) {
                for (StoredResource resource : resources) {
                    ResourceRows.bindUpdate(ps, resource);
                    ps.addBatch();
                }
                counts = ps.executeBatch();
            }
            List<Optional<StoredResource>> updated = new ArrayList<>(resources.size());
            for (int i = 0; i < resources.size(); i++) {
                updated.add(counts[i] == 1 ? Optional.of(ResourceRows.asUpdated(resources.get(i))) : Optional.empty());
            }
            return updated;
        });
    }

    @Override
    public boolean delete(ResourceKey key) {
        return delete(key, null);
    }

    @Override
    public boolean deleteIfUnchanged(StoredResource resource) {
        return delete(resource.key(), resource.version());
    }

    /** Removes the row (only at {@code version} when one is given) and, if it went, a pool's nodes or a job's tasks. */
    private boolean delete(ResourceKey key, Long version) {
        ResourceKind childKind = switch (key.kind()) {
            case POOL -> ResourceKind.NODE;
            case JOB -> ResourceKind.TASK;
            case TASK, NODE -> null;
        };
        return transaction(c -> {
            boolean deleted;
            try (PreparedStatement ps = c.prepareStatement(
                    version == null ? ResourceRows.DELETE_ONE : ResourceRows.DELETE_VERSION)) {
                int next = ResourceRows.bindKey(ps, 1, key);
                if (version != null) {
                    ps.setLong(next, version);
                }
                deleted = ps.executeUpdate() > 0;
            }
            if (version != null && !deleted) {
                return false; // changed or gone: the caller decides again on what is there now
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
        if (kind == ResourceKind.TASK) {
            throw new IllegalArgumentException("findInState does not look up tasks (they are not in its index)");
        }
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

    private Map<String, Long> countBy(String column, String account, ResourceKind kind, String parentId) {
        return read(c -> ResourceRows.countBy(c, column, account, kind, parentId));
    }

    @Override
    public void close() {
        dispatch.close();
        dataSource.close();
        try {
            releaseAfterClose.close();
        } catch (Exception e) {
            throw new IllegalStateException("Closing the store failed to release what it held", e);
        }
    }

    private <T> T read(StoreConnections.SqlWork<T> work) {
        return connections.read(work);
    }

    private <T> T write(StoreConnections.SqlWork<T> work) {
        return connections.write(work);
    }

    private <T> T transaction(StoreConnections.SqlWork<T> work) {
        return connections.transaction(work);
    }

    // ---- DispatchStore: the queue and leases (JdbcDispatch)

    @Override
    public int updateQueueFacts(String account, String jobId, QueueFacts facts) {
        return dispatch.updateQueueFacts(account, jobId, facts);
    }

    @Override
    public <T> T inLeaseTransaction(LeaseWork<T> work) {
        return dispatch.inLeaseTransaction(work);
    }

    @Override
    public Optional<LeasedResource> findLeased(ResourceKey key) {
        return dispatch.findLeased(key);
    }

    @Override
    public List<LeasedResource> findLeased(Collection<ResourceKey> keys) {
        return dispatch.findLeased(keys);
    }

    @Override
    public boolean renewLease(ResourceKey task, String nodeId, long epoch, Duration ttl, Instant now) {
        return dispatch.renewLease(task, nodeId, epoch, ttl, now);
    }

    @Override
    public boolean keepAlive(ResourceKey key, Duration ttl, Instant now) {
        return dispatch.keepAlive(key, ttl, now);
    }

    @Override
    public List<LeasedResource> findExpired(ResourceKind kind, Set<String> states, Instant now, int limit) {
        return dispatch.findExpired(kind, states, now, limit);
    }

    @Override
    public Optional<StoredResource> updateIfExpired(StoredResource resource, Instant now) {
        return dispatch.updateIfExpired(resource, now);
    }

    @Override
    public List<LeasedResource> findHeldBy(String account, String nodeId) {
        return dispatch.findHeldBy(account, nodeId);
    }

    @Override
    public void publish(String message) {
        dispatch.publish(message);
    }

    @Override
    public AutoCloseable listen(Consumer<String> listener) {
        return dispatch.listen(listener);
    }

    @Override
    public String toString() {
        return "JdbcBatchStore[" + dialect + ", " + dataSource.getJdbcUrl() + "]";
    }
}
