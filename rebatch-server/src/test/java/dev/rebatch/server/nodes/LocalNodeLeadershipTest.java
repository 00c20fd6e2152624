package dev.rebatch.server.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import dev.rebatch.server.store.InstanceLock;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalNodeLeadership} with a lock the test holds or frees and a provisioner that records what it is told;
 * every check is made by {@link LocalNodeLeadership#checkNow} (the periodic one is an hour away).
 */
class LocalNodeLeadershipTest {

    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path data;

    private BatchStore store;
    private final TestLock lock = new TestLock();
    /** What every provisioner made so far was told, in order ("made" when one was made). */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger removals = new AtomicInteger();
    private LocalNodeLeadership leadership;

    @BeforeEach
    void openStore() {
        store = BatchStores.open(null, data);
    }

    @AfterEach
    void close() {
        if (leadership != null) {
            leadership.close();
        }
        store.close();
    }

    private LocalNodeLeadership start() {
        leadership = LocalNodeLeadership.start(store, lock, () -> {
            calls.add("made");
            return new RecordingProvisioner();
        }, () -> {
            calls.add("removed earlier local nodes");
            removals.incrementAndGet();
            return 0;
        }, NEVER);
        return leadership;
    }

    @Test
    void takingTheLockRemovesWhatAnEarlierHolderLeftThenReportsEveryPool() {
        addPool("alpha", 2);
        addPool("beta", 1);

        start();

        assertThat(leadership.leading()).isTrue();
        assertThat(calls.subList(0, 2)).containsExactly("removed earlier local nodes", "made");
        assertThat(calls.subList(2, calls.size())).containsExactlyInAnyOrder("targets acct/alpha 2+0",
                "targets acct/beta 1+0");

        calls.clear();
        leadership.checkNow();
        assertThat(calls).as("nothing changed, nothing reported").isEmpty();
        assertThat(removals).as("removed once, when taken").hasValue(1);
    }

    @Test
    void anInstanceWithoutTheLockRunsNothingUntilItIsFree() {
        lock.heldElsewhere.set(true);
        addPool("alpha", 2);

        start();
        leadership.targetsChanged("acct", "alpha", 2, 0);
        leadership.checkNow();

        assertThat(leadership.leading()).isFalse();
        assertThat(calls).isEmpty();

        lock.heldElsewhere.set(false);
        leadership.checkNow();
        assertThat(leadership.leading()).isTrue();
        assertThat(calls).containsExactly("removed earlier local nodes", "made", "targets acct/alpha 2+0");
    }

    @Test
    void losingTheLockClosesTheAgentsAndTakingItAgainStartsAfresh() {
        addPool("alpha", 2);
        start();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        leadership.bindTo(metrics);
        assertThat(metrics.get("rebatch.local.nodes.leader").gauge().value()).isEqualTo(1.0);

        lock.lost.set(true);
        calls.clear();
        leadership.checkNow();
        assertThat(leadership.leading()).isFalse();
        assertThat(calls).containsExactly("closed");
        assertThat(metrics.get("rebatch.local.nodes.leader").gauge().value()).isEqualTo(0.0);

        calls.clear();
        leadership.checkNow();
        assertThat(leadership.leading()).isTrue();
        assertThat(calls).as("every pool reported to the new provisioner").containsExactly(
                "removed earlier local nodes", "made", "targets acct/alpha 2+0");
    }

    @Test
    void reportsChangedTargetsAndGonePoolsFromTheStore() {
        StoredResource alpha = addPool("alpha", 2);
        addPool("beta", 1);
        start();
        calls.clear();

        // Resized through another instance: read at the next check.
        store.update(withTarget(alpha, 3));
        // Deleted through another instance.
        store.delete(ResourceKey.topLevel("acct", ResourceKind.POOL, "beta"));
        leadership.checkNow();
        assertThat(calls).containsExactlyInAnyOrder("targets acct/alpha 3+0", "deleted acct/beta");

        // Created through this one: reported without waiting for the next check.
        calls.clear();
        addPool("gamma", 4);
        leadership.targetsChanged("acct", "gamma", 4, 0);
        leadership.checkNow(); // waits for the report already queued; finds nothing more
        assertThat(calls).containsExactly("targets acct/gamma 4+0");
    }

    @Test
    void closingStopsTheAgentsAndReleasesTheLock() {
        start();
        leadership.close();
        assertThat(calls).endsWith("closed");
        assertThat(lock.closed).isTrue();
        assertThat(leadership.leading()).isFalse();
    }

    private StoredResource addPool(String id, int dedicated) {
        Instant now = Instant.now();
        return store.insert(new StoredResource(ResourceKey.topLevel("acct", ResourceKind.POOL, id), "active",
                poolBody(id, dedicated), 1, now, now, now, null, null, null));
    }

    private static StoredResource withTarget(StoredResource pool, int dedicated) {
        return new StoredResource(pool.key(), pool.state(), poolBody(pool.key().id(), dedicated), pool.version(),
                pool.creationTime(), pool.lastModified(), pool.stateTransitionTime(), null, null, null);
    }

    private static String poolBody(String id, int dedicated) {
        return "{\"id\":\"" + id + "\",\"targetDedicatedNodes\":" + dedicated + ",\"targetLowPriorityNodes\":0}";
    }

    /** Held unless {@link #heldElsewhere}; {@link #lost} makes the holder lose it once. */
    private static final class TestLock implements InstanceLock {
        final AtomicBoolean heldElsewhere = new AtomicBoolean();
        final AtomicBoolean lost = new AtomicBoolean();
        volatile boolean closed;

        @Override
        public boolean hold() {
            return !lost.getAndSet(false) && !heldElsewhere.get() && !closed;
        }

        @Override
        public String describe() {
            return "the test's lock";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final class RecordingProvisioner implements NodeProvisioner, AutoCloseable {
        @Override
        public boolean provisions() {
            return true;
        }

        @Override
        public void targetsChanged(String account, String poolId, int dedicated, int lowPriority) {
            calls.add("targets " + account + "/" + poolId + " " + dedicated + "+" + lowPriority);
        }

        @Override
        public void poolDeleted(String account, String poolId) {
            calls.add("deleted " + account + "/" + poolId);
        }

        @Override
        public void close() {
            calls.add("closed");
        }
    }
}
