package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The dispatch contract against PostgreSQL (expiry by the database clock), plus what only PostgreSQL has: messages
 * between instances, and a plan to check for the dispatch query.
 */
class PostgresDispatchStoreTest extends DispatchStoreContract {

    private PostgresTestDatabase database;

    @Override
    protected BatchStore openStore() throws Exception {
        database = PostgresTestDatabase.create();
        return BatchStores.open(database.url(), null);
    }

    @Override
    protected void afterStoreClosed() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aMessagePublishedByOneInstanceReachesTheListenersOfAnother() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (BatchStore other = BatchStores.open(database.url(), null);
                AutoCloseable listening = other.listen(received::add)) {
            // LISTEN runs on the listener's own thread: publish until it has started listening. The channel is the
            // database's, shared by every schema: other instances' messages (other tests, a service running on the
            // same database) may arrive too, and are passed over.
            String expected = "work|" + account + "|pool";
            boolean arrived = false;
            for (int attempt = 0; attempt < 50 && !arrived; attempt++) {
                store.publish(expected);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (!arrived && System.nanoTime() < deadline) {
                    String message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    arrived = expected.equals(message);
                }
            }
            assertThat(arrived).as("the message reached the other instance").isTrue();
        }
    }

    @Test
    void theDispatchQueryIsAnIndexRangeScan() throws Exception {
        var created = java.time.Instant.parse("2026-03-04T05:06:07Z");
        StoredResource job = store.insert(new StoredResource(ResourceKey.topLevel(account, ResourceKind.JOB, "job"),
                "active", "{}", 1, created, created, created, null, null, null));
        store.insertTasks(ParentCondition.of(job, java.util.Set.of("active")),
                IntStream.range(0, 3000).mapToObj(i -> task(i)).toList(), new QueueFacts("pool", 0, 1));
        try (Connection c = DriverManager.getConnection(database.url()); Statement s = c.createStatement()) {
            s.execute("ANALYZE resources");
            String plan;
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + JdbcDispatch.queueQuery(Dialect.POSTGRESQL,
                    true))) {
                List<Object> parameters = List.of(account, "pool", 0, 0L, "", "", 5);
                for (int i = 0; i < parameters.size(); i++) {
                    ps.setObject(i + 1, parameters.get(i));
                }
                StringBuilder lines = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.append(rs.getString(1)).append('\n');
                    }
                }
                plan = lines.toString();
            }
            assertThat(plan).contains("Index Scan using resources_dispatch_queue").doesNotContain("Sort");
        }
    }

    @Test
    void theTasksOfANodeAreReadThroughTheHeldTasksIndexEvenWithStatisticsOfAnEmptyTable() throws Exception {
        threeThousandTasksAnalyzedWhileTheTableWasEmpty();

        String plan = genericPlan(JdbcDispatch.heldByQuery(), "'node-1', '" + account + "'");

        assertThat(plan).contains("resources_held_by_node").doesNotContain("resources_by_state")
                .doesNotContain("resources_pkey");
    }

    @Test
    void tasksReadByKeyAreWholeKeyLookupsEvenWithStatisticsOfAnEmptyTable() throws Exception {
        threeThousandTasksAnalyzedWhileTheTableWasEmpty();

        String plan = genericPlan(PostgresKeyedRead.SQL, "'{" + account + "," + account + "}', '{TASK,TASK}', "
                + "'{job,job}', '{t1,t2}'");

        assertThat(plan).contains("Nested Loop").contains("Index Scan using resources_pkey")
                .contains("id_key = k.key_id").doesNotContain("Filter").doesNotContain("Seq Scan");
    }

    @Test
    void aKeyedReadFindsEachExistingKeyOnceWhateverItsSpellingOrParent() throws Exception {
        threeThousandTasksAnalyzedWhileTheTableWasEmpty();
        var created = java.time.Instant.parse("2026-03-04T05:06:07Z");
        StoredResource other = store.insert(new StoredResource(ResourceKey.topLevel(account, ResourceKind.JOB,
                "other"), "active", "{}", 1, created, created, created, null, null, null));
        store.insertTasks(ParentCondition.of(other, java.util.Set.of("active")), List.of(new StoredResource(
                new ResourceKey(account, ResourceKind.TASK, "other", "t1"), "active", "{}", 1, created, created,
                created, null, null, null)), new QueueFacts("pool", 0, 1));

        List<LeasedResource> found = store.findLeased(List.of(new ResourceKey(account, ResourceKind.TASK, "job", "t1"),
                new ResourceKey(account, ResourceKind.TASK, "JOB", "T1"),
                new ResourceKey(account, ResourceKind.TASK, "job", "t2"),
                new ResourceKey(account, ResourceKind.TASK, "job", "missing"),
                new ResourceKey(account, ResourceKind.TASK, "other", "t1"),
                new ResourceKey("another-account", ResourceKind.TASK, "job", "t1")));

        assertThat(found).extracting(held -> held.resource().key().parentId() + "/" + held.resource().key().id())
                .containsExactlyInAnyOrder("job/t1", "job/t2", "other/t1");
        assertThat(store.findLeased(IntStream.range(0, 3000)
                .mapToObj(i -> new ResourceKey(account, ResourceKind.TASK, "job", "t" + i)).toList())).hasSize(3000);
    }

    /** Statistics taken while the table is empty, as autovacuum may leave them on a fresh database, then a job. */
    private void threeThousandTasksAnalyzedWhileTheTableWasEmpty() throws Exception {
        try (Connection c = DriverManager.getConnection(database.url()); Statement s = c.createStatement()) {
            s.execute("ANALYZE resources");
        }
        var created = java.time.Instant.parse("2026-03-04T05:06:07Z");
        StoredResource job = store.insert(new StoredResource(ResourceKey.topLevel(account, ResourceKind.JOB, "job"),
                "active", "{}", 1, created, created, created, null, null, null));
        store.insertTasks(ParentCondition.of(job, java.util.Set.of("active")),
                IntStream.range(0, 3000).mapToObj(i -> task(i)).toList(), new QueueFacts("pool", 0, 1));
    }

    /**
     * The plan the JDBC driver ends up with for {@code query} (its {@code ?} parameters given as SQL literals): a
     * generic one, made without the parameters' values.
     */
    private String genericPlan(String query, String literals) throws Exception {
        String numbered = query;
        for (int i = 1; numbered.contains("?"); i++) {
            numbered = numbered.replaceFirst("\\?", "\\$" + i);
        }
        try (Connection c = DriverManager.getConnection(database.url()); Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE planned AS " + numbered);
            StringBuilder lines = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE planned(" + literals + ")")) {
                while (rs.next()) {
                    lines.append(rs.getString(1)).append('\n');
                }
            }
            return lines.toString();
        }
    }

    private StoredResource task(int i) {
        var created = java.time.Instant.parse("2026-03-04T05:06:07Z").plus(Duration.ofMillis(i));
        return new StoredResource(new ResourceKey(account, ResourceKind.TASK, "job", "t" + i), "active", "{}", 1,
                created, created, created, null, null, null);
    }
}
