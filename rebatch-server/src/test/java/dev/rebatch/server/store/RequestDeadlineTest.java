package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.server.dispatch.MovableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request's deadline as the store keeps it, on the embedded store: it stops a request that has not changed anything
 * yet (its reads, its first write, its wait for the single writer), never one that has begun to write.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestDeadlineTest {

    @TempDir
    static Path dataDir;

    private final MovableClock clock = new MovableClock();
    private BatchStore store;
    private String account;

    @BeforeAll
    void open() {
        store = BatchStores.open(null, dataDir);
    }

    @AfterAll
    void close() {
        store.close();
    }

    @AfterEach
    void endDeadline() {
        RequestDeadline.end();
    }

    @Test
    void aRequestWhoseDeadlinePassedCanNeitherReadNorWriteAndStoresNothing() {
        account = "acct-" + UUID.randomUUID();
        StoredResource job = job("job");
        RequestDeadline.begin(clock.instant(), clock); // timeout=0: no time at all

        assertThatThrownBy(() -> store.find(job.key())).isInstanceOf(DeadlineExceededException.class);
        assertThatThrownBy(() -> store.insert(job)).isInstanceOf(DeadlineExceededException.class);

        RequestDeadline.end();
        assertThat(store.find(job.key())).isEmpty();
    }

    @Test
    void aRequestThatBeganWritingRunsToItsEndAfterItsDeadline() {
        account = "acct-" + UUID.randomUUID();
        RequestDeadline.begin(clock.instant().plusSeconds(1), clock);
        StoredResource stored = store.insert(job("job"));

        clock.advance(Duration.ofSeconds(5));

        StoredResource read = store.find(stored.key()).orElseThrow();
        assertThat(store.update(read).version()).isEqualTo(2);
    }

    @Test
    void aDeadlineHoldsOnlyOnTheThreadOfItsRequest() throws Exception {
        account = "acct-" + UUID.randomUUID();
        StoredResource stored = store.insert(job("job"));
        RequestDeadline.begin(clock.instant(), clock);

        assertThat(CompletableFuture.supplyAsync(() -> store.find(stored.key())).get(10, TimeUnit.SECONDS))
                .contains(stored);
        RequestDeadline.end();
        assertThat(store.find(stored.key())).as("ended: the thread serves the next request").contains(stored);
    }

    @Test
    void aRequestWaitingForTheSingleWriterGivesUpAtItsDeadline() throws Exception {
        account = "acct-" + UUID.randomUUID();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> longWrite = CompletableFuture.runAsync(() -> store.inLeaseTransaction(tx -> {
            writing.countDown();
            await(release);
            return null;
        }));
        try {
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            Clock real = Clock.systemUTC();
            Instant deadline = real.instant().plusMillis(200);
            RequestDeadline.begin(deadline, real);

            assertThatThrownBy(() -> store.insert(job("job"))).isInstanceOf(DeadlineExceededException.class);
            assertThat(real.instant()).as("it waited until the deadline").isAfterOrEqualTo(deadline);
        } finally {
            release.countDown();
            longWrite.get(10, TimeUnit.SECONDS);
        }
        RequestDeadline.end();
        assertThat(store.find(job("job").key())).isEmpty();
    }

    private StoredResource job(String id) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new StoredResource(ResourceKey.topLevel(account, ResourceKind.JOB, id), "active", "{}", 1, t, t, t,
                null, null, null);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
