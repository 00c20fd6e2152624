package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The store reports saturation (so the service sheds load) only when requests queue beyond the pool's size. */
class StoreSaturationTest {

    @Test
    void saturatedOnlyWhileMoreRequestsWaitThanThePoolHasConnections() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:saturation;DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
        config.setMaximumPoolSize(2); // Flyway needs two connections to migrate
        config.setConnectionTimeout(30_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        org.flywaydb.core.Flyway.configure().dataSource(dataSource).locations(Dialect.H2.migrations()).load().migrate();
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (JdbcBatchStore store = new JdbcBatchStore(dataSource, Dialect.H2, () -> { })) {
            ResourceKey key = ResourceKey.topLevel("acct", ResourceKind.JOB, "job-1");
            List<Future<?>> waiting = new ArrayList<>();
            try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
                assertThat(store.isSaturated()).as("the pool is busy but nobody waits").isFalse();
                for (int waiters = 1; waiters <= 2; waiters++) {
                    waiting.add(callers.submit(() -> store.find(key)));
                    awaitWaiters(dataSource, waiters);
                    assertThat(store.isSaturated()).as("%d waiters for a pool of two is normal load", waiters)
                            .isFalse();
                }
                waiting.add(callers.submit(() -> store.find(key)));
                awaitWaiters(dataSource, 3);
                assertThat(store.isSaturated()).as("more waiters than connections").isTrue();
            }
            for (Future<?> call : waiting) {
                call.get(10, TimeUnit.SECONDS);
            }
            assertThat(store.isSaturated()).isFalse();
        } finally {
            callers.shutdownNow();
        }
    }

    /** Waits (bounded to 10 s) until the pool counts this many threads waiting for a connection. */
    private static void awaitWaiters(HikariDataSource dataSource, int waiters) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (dataSource.getHikariPoolMXBean().getThreadsAwaitingConnection() < waiters) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw " + waiters + " threads waiting for a connection");
            }
            Thread.sleep(5);
        }
    }
}
