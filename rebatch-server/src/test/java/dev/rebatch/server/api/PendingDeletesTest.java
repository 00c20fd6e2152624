package dev.rebatch.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import dev.rebatch.server.store.RacingStore;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delete that fails (a deadlock victim on PostgreSQL) is tried again; the waits are recorded, never slept. */
class PendingDeletesTest {

    private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
    private static final ResourceKey JOB = ResourceKey.topLevel("acct", ResourceKind.JOB, "job-1");

    @TempDir
    Path dataDir;
    private BatchStore real;
    private RacingStore store;
    private final List<Duration> waits = new ArrayList<>();
    private PendingDeletes deletes;

    @BeforeEach
    void jobMarkedForDeletionWithTasks() {
        real = BatchStores.open(null, dataDir);
        store = new RacingStore(real);
        store.insert(new StoredResource(JOB, PendingDeletes.DELETING, "{}", 1, T0, T0, T0, null, null, null));
        store.insertAll(IntStream.range(0, 3).mapToObj(i -> new StoredResource(
                new ResourceKey("acct", ResourceKind.TASK, "job-1", "t" + i), "active", "{}", 1, T0, T0, T0, null,
                null, null)).toList());
        deletes = new PendingDeletes(store, Runnable::run, waits::add);
    }

    @AfterEach
    void close() {
        real.close();
    }

    @Test
    void aDeleteThatFailsIsTriedAgainAfterGrowingWaitsUntilItSucceeds() {
        store.failingDeletes.set(3);

        deletes.deleteLater(JOB);

        assertThat(store.find(JOB)).isEmpty();
        assertThat(store.countByState("acct", ResourceKind.TASK, "job-1")).as("the job's tasks").isEmpty();
        assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aDeleteThatKeepsFailingStopsAfterItsAttemptsAndStaysMarked() {
        store.failingDeletes.set(Integer.MAX_VALUE);

        deletes.deleteLater(JOB);

        assertThat(store.find(JOB)).hasValueSatisfying(job -> assertThat(job.state()).isEqualTo("deleting"));
        assertThat(waits).hasSize(PendingDeletes.ATTEMPTS - 1)
                .startsWith(Duration.ofMillis(50), Duration.ofMillis(100))
                .endsWith(Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(store.failingDeletes.get()).as("attempts made")
                .isEqualTo(Integer.MAX_VALUE - PendingDeletes.ATTEMPTS);
    }
}
