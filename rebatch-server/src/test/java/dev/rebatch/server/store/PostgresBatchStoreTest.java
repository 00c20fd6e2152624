package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
