package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract against PostgreSQL, plus what only a shared database has: several instances at once. */
class PostgresBatchStoreTest extends BatchStoreContract {

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
    void instancesStartingTogetherMigrateOnceAndShareTheData() throws Exception {
        int instances = 3;
        try (PostgresTestDatabase fresh = PostgresTestDatabase.create()) {
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService executor = Executors.newFixedThreadPool(instances);
            List<BatchStore> stores = new ArrayList<>();
            try {
                List<Future<BatchStore>> opening = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    opening.add(executor.submit(() -> {
                        start.await();
                        return BatchStores.open(fresh.url(), null);
                    }));
                }
                start.countDown();
                for (Future<BatchStore> f : opening) {
                    stores.add(f.get(60, TimeUnit.SECONDS));
                }

                Instant now = Instant.parse("2026-01-01T00:00:00Z");
                StoredResource job = stores.get(0).insert(new StoredResource(
                        ResourceKey.topLevel(account, ResourceKind.JOB, "Shared"), "active", "{}", 1, now, now, now,
                        null, null, null));
                StoredResource seen = stores.get(1).find(job.key()).orElseThrow();
                stores.get(2).update(seen);

                assertThatThrownBy(() -> stores.get(1).update(seen)).as("the other instance already moved it on")
                        .isInstanceOf(StaleVersionException.class);
                assertThatThrownBy(() -> stores.get(2).insert(job)).isInstanceOf(ResourceExistsException.class);
                assertThat(stores.get(0).find(job.key()).orElseThrow().version()).isEqualTo(2);
            } finally {
                executor.shutdownNow();
                stores.forEach(BatchStore::close);
            }
        }
    }
    /**
     * The race of a task add in one instance with a job delete in another: the add locks the job's row, so it waits
     * for the delete's uncommitted change and then sees it, instead of storing tasks the delete no longer removes.
     */
    @Test
    void aTaskAddWaitsForAnUncommittedChangeOfItsJobAndThenSeesIt() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        StoredResource job = store.insert(new StoredResource(ResourceKey.topLevel(account, ResourceKind.JOB, "job"),
                "active", "{}", 1, now, now, now, null, null, null));
        ParentCondition whileActive = ParentCondition.of(job, java.util.Set.of("active"));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Connection otherInstance = DriverManager.getConnection(database.url())) {
            otherInstance.setAutoCommit(false);
            try (PreparedStatement mark = otherInstance.prepareStatement("UPDATE resources SET state = 'deleting', "
                    + "version = version + 1 WHERE account = ? AND kind = 'JOB' AND id_key = 'job'")) {
                mark.setString(1, account);
                assertThat(mark.executeUpdate()).isEqualTo(1);
            }

            Future<List<BatchStore.InsertOutcome>> add = executor.submit(() -> store.insertTasks(whileActive,
                    List.of(new StoredResource(new ResourceKey(account, ResourceKind.TASK, "job", "t"), "active", "{}",
                            1, now, now, now, null, null, null)),
                    QueueFacts.notQueued(1)));
            awaitABackendWaitingForTheJobRow();
            assertThat(add).as("waits for the other instance's change").isNotDone();
            otherInstance.commit();

            assertThatThrownBy(() -> add.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ParentChangedException.class);
            assertThat(store.countByState(account, ResourceKind.TASK, "job")).isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }

    private void awaitABackendWaitingForTheJobRow() throws Exception {
        try (Connection watcher = DriverManager.getConnection(database.url());
                PreparedStatement waiting = watcher.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND query LIKE '%FOR SHARE%'")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the task add never waited for the job's row lock");
    }
}
