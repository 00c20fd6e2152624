package dev.rebatch.server.store;

import dev.rebatch.server.store.DispatchStore.LeaseWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The {@link DispatchStore} half of {@link JdbcBatchStore}: the SQL of the task queue, of leases and of node
 * liveness, over the same connections (and, on SQLite, the same single writer) as the resources.
 */
final class JdbcDispatch implements AutoCloseable {

    /** Rows with their lease columns. */
    static final String LEASED_COLUMNS = ResourceRows.COLUMNS + ", " + ResourceRows.LEASE_COLUMNS;
    private static final String LEASED_STATES = ResourceRows.literalList(DispatchStore.LEASED);
    /** A grant: the task's new version and its lease, if the row still has the version read. */
    private static final String GRANT = "UPDATE resources SET state = ?, body = ?, version = version + 1, "
            + "last_modified = ?, state_transition_time = ?, exit_code = ?, execution_result = ?, lease_node = ?, "
            + "lease_epoch = lease_epoch + 1, lease_expires_at = ? WHERE " + ResourceRows.KEY_MATCH + " AND version = ?";
    private static final String CHANNEL = "rebatch_dispatch";
    /** Ids per {@code IN} list: well under every database's limit on parameters. */
    private static final int IN_CHUNK = 500;
    /** Keys per {@link #keysQuery} (H2): larger reads are split into statements of at most this many branches. */
    private static final int KEYS_PER_READ = 100;
    /**
     * The sizes of {@link #keysQuery} that {@link #readByKeys} prepares (H2); a read of fewer keys is padded to the
     * next, so that a connection prepares eight statement texts, not one per key count.
     */
    private static final int[] KEYS_PER_STATEMENT = {1, 2, 4, 8, 16, 32, 64, KEYS_PER_READ};
    /**
     * What a padding branch of {@link #keysQuery} looks up: no row has it, as a Batch id has at least one character.
     */
    private static final String NO_ID = "";
    private static final Comparator<LeasedResource> HELD_ORDER = Comparator
            .comparing((LeasedResource held) -> held.key().parentKey())
            .thenComparing(held -> held.key().idKey());

    private final StoreConnections connections;
    private final Dialect dialect;
    private final DatabaseClock clock;
    private final List<PostgresNotifications> listeners = new ArrayList<>();
    /**
     * Serializes queue-fact copies where one JVM owns a database that lets transactions run side by side (H2);
     * PostgreSQL uses an advisory lock per job instead, and SQLite's transactions hold its single writer already.
     */
    private final ReentrantLock copyLock;

    JdbcDispatch(StoreConnections connections, Dialect dialect) {
        this.connections = connections;
        this.dialect = dialect;
        this.clock = new DatabaseClock(dialect);
        this.copyLock = dialect.shared() || dialect.singleWriter() ? null : new ReentrantLock();
    }

    int updateQueueFacts(String account, String jobId, QueueFacts facts) {
        ResourceKey job = ResourceKey.topLevel(account, ResourceKind.JOB, jobId);
        // Rows that already carry the facts are not rewritten: a job patch that changes neither pool nor priority
        // costs one index range read, not a write of every task.
        String changed = facts.poolKey() == null ? "queue_pool_key IS NOT NULL"
                : "(queue_pool_key IS NULL OR queue_pool_key <> ? OR queue_rank IS NULL OR queue_rank <> ?)";
        String sql = "UPDATE resources SET queue_pool_key = ?, queue_rank = ? "
                + "WHERE account = ? AND kind = 'TASK' AND parent_key = ? AND " + changed;
        // One copy of a job at a time, and only from its current version: a copy made from an older read of the job
        // is skipped, and a copy running while the job changes is followed by the copy of that change.
        if (copyLock != null) {
            copyLock.lock();
        }
        try {
            return connections.transaction(c -> copy(c, job, facts, sql));
        } finally {
            if (copyLock != null) {
                copyLock.unlock();
            }
        }
    }

    private int copy(Connection c, ResourceKey job, QueueFacts facts, String sql) throws SQLException {
        if (dialect.shared()) {
            // A transaction advisory lock per job: never blocks job writes or grants, only other copies.
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                ps.setString(1, "rebatch-queue-facts/" + job.account() + "/" + job.idKey());
                ps.execute();
            }
        }
        Optional<StoredResource> current = ResourceRows.selectOne(c, job);
        if (current.isEmpty() || current.get().version() != facts.jobVersion()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, facts.poolKey());
            ps.setInt(i++, ResourceRows.queueRank(facts.priority()));
            ps.setString(i++, job.account());
            ps.setString(i++, job.idKey());
            if (facts.poolKey() != null) {
                ps.setString(i++, facts.poolKey());
                ps.setInt(i, ResourceRows.queueRank(facts.priority()));
            }
            return ps.executeUpdate();
        }
    }

    <T> T inLeaseTransaction(LeaseWork<T> work) {
        return connections.transaction(c -> {
            try (Transaction transaction = new Transaction(c)) {
                T result = work.run(transaction);
                transaction.writeGrants();
                return result;
            }
        });
    }

    Optional<LeasedResource> findLeased(ResourceKey key) {
        return connections.read(c -> selectLeased(c, key, ""));
    }

    List<LeasedResource> findLeased(Collection<ResourceKey> keys) {
        // Keyed as the store compares them: one lookup for ids spelled twice, or spelled otherwise.
        Map<String, ResourceKey> byStoredKey = new LinkedHashMap<>();
        for (ResourceKey key : keys) {
            byStoredKey.putIfAbsent(key.account() + "/" + key.kind() + "/" + key.parentKey() + "/" + key.idKey(), key);
        }
        List<ResourceKey> distinct = List.copyOf(byStoredKey.values());
        if (distinct.isEmpty()) {
            return List.of();
        }
        return connections.read(c -> switch (dialect) {
            case POSTGRESQL -> PostgresKeyedRead.read(c, distinct);
            case SQLITE -> readByIdLists(c, distinct);
            case H2 -> readByKeys(c, distinct);
        });
    }

    private List<LeasedResource> readByKeys(Connection c, List<ResourceKey> keys) throws SQLException {
        List<LeasedResource> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_READ) {
            List<ResourceKey> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_READ));
            int size = keysPerStatement(chunk.size());
            try (PreparedStatement ps = c.prepareStatement(keysQuery(size))) {
                int i = 1;
                for (ResourceKey key : chunk) {
                    i = ResourceRows.bindKey(ps, i, key);
                }
                ResourceKey first = chunk.getFirst();
                ResourceKey padding = new ResourceKey(first.account(), first.kind(), first.parentKey(), NO_ID);
                for (int padded = chunk.size(); padded < size; padded++) {
                    i = ResourceRows.bindKey(ps, i, padding);
                }
                found.addAll(readAll(ps));
            }
        }
        return found;
    }

    /** The size of {@link #keysQuery} that reads {@code count} keys (1 to {@link #KEYS_PER_READ}). */
    static int keysPerStatement(int count) {
        for (int size : KEYS_PER_STATEMENT) {
            if (count <= size) {
                return size;
            }
        }
        throw new IllegalArgumentException("At most " + KEYS_PER_READ + " keys per statement: " + count);
    }

    /**
     * SQLite: the keys of each parent as one id list. SQLite seeks the primary key once per listed id (it plans by
     * rule, never from statistics, so the trap of id lists on PostgreSQL, told at {@link #keysQuery}, cannot catch
     * it), and a statement with one column list prepares several times faster than a UNION ALL that repeats it per
     * key: preparing that was 2.7 % of the JVM's CPU in a 20,000-task run, for the completions call alone.
     */
    private static List<LeasedResource> readByIdLists(Connection c, List<ResourceKey> keys) throws SQLException {
        Map<List<String>, List<String>> idsByParent = new LinkedHashMap<>();
        for (ResourceKey key : keys) {
            idsByParent.computeIfAbsent(List.of(key.account(), key.kind().name(), key.parentKey()),
                    parent -> new ArrayList<>()).add(key.idKey());
        }
        List<LeasedResource> found = new ArrayList<>();
        for (Map.Entry<List<String>, List<String>> parent : idsByParent.entrySet()) {
            List<String> ids = parent.getValue();
            for (int from = 0; from < ids.size(); from += IN_CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
                try (PreparedStatement ps = c.prepareStatement(idListQuery(chunk.size()))) {
                    int i = 1;
                    for (String column : parent.getKey()) {
                        ps.setString(i++, column);
                    }
                    for (String id : chunk) {
                        ps.setString(i++, id);
                    }
                    found.addAll(readAll(ps));
                }
            }
        }
        return found;
    }

    /** The rows of {@code count} ids of one parent (SQLite only). Package-private for the test that reads its plan. */
    static String idListQuery(int count) {
        return "SELECT " + LEASED_COLUMNS + " FROM resources WHERE " + ResourceRows.CHILDREN_MATCH + " AND id_key IN ("
                + String.join(", ", Collections.nCopies(count, "?")) + ")";
    }

    /**
     * H2: the rows of {@code count} keys, one whole-key lookup per key, joined by UNION ALL. PostgreSQL reads keys with
     * {@link PostgresKeyedRead}, whose text does not depend on the count. Not {@code id_key IN (...)} within a parent:
     * PostgreSQL, with statistics taken while the table was small, read that as a scan of every task of the job with
     * the list as a filter (20 ms a call in a 20,000-task run); a lookup of a whole unique key is an index lookup
     * whatever the statistics say.
     */
    static String keysQuery(int count) {
        String one = "SELECT " + LEASED_COLUMNS + " FROM resources WHERE " + ResourceRows.KEY_MATCH;
        return String.join(" UNION ALL ", Collections.nCopies(count, one));
    }

    boolean renewLease(ResourceKey task, String nodeId, long epoch, Duration ttl, Instant now) {
        String sql = "UPDATE resources SET lease_expires_at = " + clock.now() + " + ? WHERE " + ResourceRows.KEY_MATCH
                + " AND lease_node = ? AND lease_epoch = ? AND state IN " + LEASED_STATES;
        return connections.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = clock.bind(ps, 1, now);
                ps.setLong(i++, micros(ttl));
                i = ResourceRows.bindKey(ps, i, task);
                ps.setString(i++, nodeId);
                ps.setLong(i, epoch);
                return ps.executeUpdate() == 1;
            }
        });
    }

    boolean keepAlive(ResourceKey key, Duration ttl, Instant now) {
        String sql = "UPDATE resources SET lease_expires_at = " + clock.now() + " + ? WHERE " + ResourceRows.KEY_MATCH;
        return connections.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = clock.bind(ps, 1, now);
                ps.setLong(i++, micros(ttl));
                ResourceRows.bindKey(ps, i, key);
                return ps.executeUpdate() == 1;
            }
        });
    }

    List<LeasedResource> findExpired(ResourceKind kind, Set<String> states, Instant now, int limit) {
        // resources_by_lease_expiry: one range per state.
        String sql = "SELECT " + LEASED_COLUMNS + " FROM resources WHERE kind = ? AND state IN "
                + ResourceRows.literalList(states)
                + " AND lease_expires_at < " + clock.now() + " ORDER BY lease_expires_at LIMIT ?";
        return connections.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, kind.name());
                int i = clock.bind(ps, 2, now);
                ps.setInt(i, limit);
                return readAll(ps);
            }
        });
    }

    Optional<StoredResource> updateIfExpired(StoredResource resource, Instant now) {
        String sql = ResourceRows.UPDATE + " AND lease_expires_at < " + clock.now();
        return connections.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = ResourceRows.bindUpdate(ps, resource);
                clock.bind(ps, i, now);
                return ps.executeUpdate() == 1 ? Optional.of(ResourceRows.asUpdated(resource)) : Optional.empty();
            }
        });
    }

    List<LeasedResource> findHeldBy(String account, String nodeId) {
        List<LeasedResource> held = connections.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(heldByQuery())) {
                ps.setString(1, nodeId);
                ps.setString(2, account);
                return readAll(ps);
            }
        });
        held.sort(HELD_ORDER);
        return held;
    }

    /**
     * The tasks a node holds: a few rows, read through resources_held_by_node (V5), whose predicate is this query's
     * state list ({@link DispatchStore#LEASED}, spelled as V5 spells it). Unordered on purpose: with an ORDER BY on
     * the key, SQLite chose to walk the primary key over every task of the account instead (a quarter of the
     * service's CPU in a 20,000-task run); {@link #HELD_ORDER} sorts the few rows instead. Package-private for the
     * tests that read its plan.
     */
    static String heldByQuery() {
        return "SELECT " + LEASED_COLUMNS + " FROM resources WHERE lease_node = ? AND state IN " + LEASED_STATES
                + " AND account = ? AND kind = 'TASK'";
    }

    void publish(String message) {
        if (!dialect.shared()) {
            return; // one instance: nobody else to tell
        }
        connections.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, CHANNEL);
                ps.setString(2, message);
                ps.execute();
                return null;
            }
        });
    }

    AutoCloseable listen(Consumer<String> listener) {
        if (!dialect.shared()) {
            return () -> { };
        }
        var source = connections.dataSource();
        PostgresNotifications notifications = PostgresNotifications.start(source.getJdbcUrl(), source.getUsername(),
                source.getPassword(), CHANNEL, listener);
        synchronized (listeners) {
            listeners.add(notifications);
        }
        return () -> {
            synchronized (listeners) {
                listeners.remove(notifications);
            }
            notifications.close();
        };
    }

    @Override
    public void close() {
        List<PostgresNotifications> open;
        synchronized (listeners) {
            open = List.copyOf(listeners);
            listeners.clear();
        }
        open.forEach(PostgresNotifications::close);
    }

    /**
     * The dispatch query: one pool's waiting tasks in grant order, locked. resources_dispatch_queue serves it as one
     * range scan: equality on (account, queue_pool_key), then the queue order itself, so the scan starts at the head
     * (or just after a position) and stops after the rows it could lock. The waiting state is a literal, not a
     * parameter: the index holds waiting tasks only (V6), and a planner uses a partial index only for a query whose
     * own text implies its predicate. Where the clock is shared it also reads the database's now, from which the
     * transaction's grants run their leases. Package-private for the tests that read its plan.
     */
    static String queueQuery(Dialect dialect, boolean afterPosition) {
        String clock = dialect.sharedClockMicros();
        return "SELECT " + LEASED_COLUMNS + ", queue_rank" + (clock != null ? ", " + clock + " AS database_now" : "")
                + " FROM resources"
                + " WHERE account = ? AND kind = 'TASK' AND queue_pool_key = ?"
                + " AND state = '" + DispatchStore.WAITING + "'"
                + (afterPosition ? " AND (queue_rank, creation_time, parent_key, id_key) > (?, ?, ?, ?)" : "")
                + " ORDER BY queue_rank, creation_time, parent_key, id_key LIMIT ?" + dialect.lockRows(true);
    }

    private Optional<LeasedResource> selectLeased(Connection c, ResourceKey key, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + LEASED_COLUMNS + " FROM resources WHERE "
                + ResourceRows.KEY_MATCH + lock)) {
            ResourceRows.bindKey(ps, 1, key);
            List<LeasedResource> found = readAll(ps);
            return found.stream().findFirst();
        }
    }

    static List<LeasedResource> readAll(PreparedStatement ps) throws SQLException {
        List<LeasedResource> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new LeasedResource(ResourceRows.read(rs), ResourceRows.readLease(rs)));
            }
        }
        return rows;
    }

    private static long micros(Duration duration) {
        return Math.multiplyExact(duration.getSeconds(), 1_000_000L) + duration.getNano() / 1000;
    }

    /** A statement run on a lease transaction's connection. */
    @FunctionalInterface
    private interface Sql<T> {
        T get() throws SQLException;
    }

    /** One lease transaction's view of the store; every statement runs on the transaction's connection. */
    private final class Transaction implements LeaseTransaction, AutoCloseable {

        private final Connection c;
        /**
         * The grant statements, prepared once per transaction rather than once per task: a round grants many tasks,
         * and on SQLite preparing a statement cost as much as running it.
         */
        private final Map<String, PreparedStatement> prepared = new HashMap<>();
        /** The tasks granted in this transaction, in the order of their UPDATEs in the batch ({@link #writeGrants}). */
        private final List<StoredResource> grantsToWrite = new ArrayList<>();
        /** The database clock at this transaction's first read of the queue (or grant), where the clock is shared. */
        private Instant databaseNow;

        Transaction(Connection c) {
            this.c = c;
        }

        private PreparedStatement prepared(String sql) throws SQLException {
            PreparedStatement statement = prepared.get(sql);
            if (statement == null) {
                statement = c.prepareStatement(sql);
                prepared.put(sql, statement);
            }
            return statement;
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (PreparedStatement statement : prepared.values()) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            prepared.clear();
            if (first != null) {
                throw first;
            }
        }

        @Override
        public List<QueuedTask> queued(String account, String poolKey, QueuePosition after, int limit) {
            String sql = queueQuery(dialect, after != null);
            return run(() -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    ps.setString(i++, account);
                    ps.setString(i++, poolKey);
                    if (after != null) {
                        ps.setInt(i++, ResourceRows.queueRank(after.priority()));
                        ps.setLong(i++, EpochMicros.of(after.creationTime()));
                        ps.setString(i++, after.parentKey());
                        ps.setString(i++, after.idKey());
                    }
                    ps.setInt(i, limit);
                    List<QueuedTask> queued = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            StoredResource task = ResourceRows.read(rs);
                            if (clock.shared() && databaseNow == null) {
                                databaseNow = EpochMicros.toInstant(rs.getLong("database_now"));
                            }
                            QueuePosition position = new QueuePosition(-rs.getInt("queue_rank"),
                                    task.creationTime(), task.key().parentKey(), task.key().idKey());
                            queued.add(new QueuedTask(new LeasedResource(task, ResourceRows.readLease(rs)), position));
                        }
                    }
                    return queued;
                }
            });
        }

        @Override
        public Optional<StoredResource> lock(ResourceKey key) {
            return run(() -> selectLeased(c, key, dialect.lockRows(false)).map(LeasedResource::resource));
        }

        @Override
        public Map<String, Long> countByState(String account, ResourceKind kind, String parentId) {
            return run(() -> ResourceRows.countBy(c, "state", account, kind, parentId));
        }

        @Override
        public Optional<StoredResource> find(ResourceKey key) {
            return run(() -> ResourceRows.selectOne(c, key));
        }

        @Override
        public List<StoredResource> findTasks(String account, String jobId, Collection<String> taskIds) {
            List<String> keys = taskIds.stream().map(ResourceKey::lower).distinct().toList();
            List<StoredResource> found = new ArrayList<>();
            for (int from = 0; from < keys.size(); from += IN_CHUNK) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IN_CHUNK));
                String sql = "SELECT " + ResourceRows.COLUMNS + " FROM resources WHERE " + ResourceRows.CHILDREN_MATCH
                        + " AND id_key IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                        + ")";
                run(() -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setString(1, account);
                        ps.setString(2, ResourceKind.TASK.name());
                        ps.setString(3, ResourceKey.lower(jobId));
                        for (int i = 0; i < chunk.size(); i++) {
                            ps.setString(4 + i, chunk.get(i));
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                found.add(ResourceRows.read(rs));
                            }
                        }
                    }
                    return null;
                });
            }
            return found;
        }

        @Override
        public boolean unqueue(ResourceKey task) {
            String sql = "UPDATE resources SET queue_pool_key = NULL WHERE " + ResourceRows.KEY_MATCH
                    + " AND state = ? AND queue_pool_key IS NOT NULL";
            return run(() -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = ResourceRows.bindKey(ps, 1, task);
                    ps.setString(i, DispatchStore.WAITING);
                    return ps.executeUpdate() == 1;
                }
            });
        }

        @Override
        public LeasedResource grant(LeasedResource read, StoredResource task, String nodeId, Duration ttl,
                Instant now) {
            return run(() -> {
                // The lease needs nothing read back. The row still has the version read (checked when the grants are
                // written), and only a grant changes the epoch, each grant a new version: so the epoch is the one
                // read plus one. The expiry is computed here and bound, from the database clock where it is shared.
                long expiresAt = EpochMicros.of(leaseStart(now)) + micros(ttl);
                PreparedStatement update = prepared(GRANT);
                bindGrant(update, task, nodeId, expiresAt);
                update.addBatch();
                grantsToWrite.add(task);
                return new LeasedResource(ResourceRows.asUpdated(task),
                        new Lease(nodeId, read.lease().epoch() + 1, EpochMicros.toInstant(expiresAt)));
            });
        }

        /**
         * When this transaction's leases start: on PostgreSQL the database clock, read once per transaction, with the
         * queue (leases last minutes and are renewed, so the milliseconds between that read and a grant do not
         * matter); on the embedded databases the service's clock, which is theirs.
         */
        private Instant leaseStart(Instant now) throws SQLException {
            if (!clock.shared()) {
                return now;
            }
            if (databaseNow == null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + clock.now());
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    databaseNow = EpochMicros.toInstant(rs.getLong(1));
                }
            }
            return databaseNow;
        }

        /** The same leading parameters as ResourceRows.UPDATE, then the lease. */
        private void bindGrant(PreparedStatement update, StoredResource task, String nodeId, long expiresAt)
                throws SQLException {
            update.setString(1, task.state());
            update.setString(2, task.body());
            update.setLong(3, EpochMicros.of(task.lastModified()));
            update.setLong(4, EpochMicros.of(task.stateTransitionTime()));
            ResourceRows.setNullableInt(update, 5, task.exitCode());
            ResourceRows.setNullableString(update, 6, task.executionResult());
            update.setString(7, nodeId);
            update.setLong(8, expiresAt);
            int i = ResourceRows.bindKey(update, 9, task.key());
            update.setLong(i, task.version());
        }

        /**
         * Writes the grants made in this transaction, all in one batch: on PostgreSQL one round trip for a round's
         * grants rather than one per task. A task that changed since it was read fails the whole transaction; the
         * tasks a grant round leases were read locked ({@link #queued}), so only a caller granting a task it read
         * elsewhere can meet that.
         */
        void writeGrants() {
            if (grantsToWrite.isEmpty()) {
                return;
            }
            run(() -> {
                int[] counts = prepared(GRANT).executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 1) {
                        StoredResource task = grantsToWrite.get(i);
                        throw new StaleVersionException(task.key(), task.version());
                    }
                }
                grantsToWrite.clear();
                return null;
            });
        }

        private <T> T run(Sql<T> work) {
            try {
                return work.get();
            } catch (SQLException e) {
                throw new StoreException("Store lease transaction failed", e);
            }
        }
    }
}
