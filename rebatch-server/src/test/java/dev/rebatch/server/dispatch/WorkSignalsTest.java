package dev.rebatch.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wake-ups of waiting lease calls within one service instance. */
class WorkSignalsTest {

    @TempDir
    Path dataDir;
    BatchStore store;
    WorkSignals signals;

    @BeforeEach
    void open() {
        store = BatchStores.open(null, dataDir);
        signals = new WorkSignals(store);
    }

    @AfterEach
    void close() {
        signals.close();
        store.close();
    }

    @Test
    void aSignalSentBeforeTheWaitIsNotLost() throws Exception {
        try (WorkSignals.Waiter waiter = signals.register("acct", "pool", "node-1")) {
            signals.workAdded("acct", "POOL", 1); // while the caller still looks at the queue

            assertThat(waiter.await(5_000)).isTrue();
            assertThat(waiter.await(10)).as("consumed by the first wait").isFalse();
        }
    }

    @Test
    void newWorkWakesAsManyWaitersAsTasksOldestFirst() throws Exception {
        List<WorkSignals.Waiter> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(signals.register("acct", "pool", "node-" + i));
        }

        signals.workAdded("acct", "pool", 2);

        assertThat(waiters.get(0).await(0)).isTrue();
        assertThat(waiters.get(1).await(0)).isTrue();
        assertThat(waiters.get(2).await(0)).isFalse();
        waiters.forEach(WorkSignals.Waiter::close);
    }

    @Test
    void aPoolChangeWakesEveryWaiterOfThatPoolOnly() throws Exception {
        WorkSignals.Waiter a = signals.register("acct", "pool", "a");
        WorkSignals.Waiter b = signals.register("acct", "pool", "b");
        WorkSignals.Waiter elsewhere = signals.register("acct", "other", "c");
        WorkSignals.Waiter otherAccount = signals.register("acct2", "pool", "d");

        signals.poolChanged("acct", "pool");

        assertThat(a.await(0)).isTrue();
        assertThat(b.await(0)).isTrue();
        assertThat(elsewhere.await(0)).isFalse();
        assertThat(otherAccount.await(0)).isFalse();
        List.of(a, b, elsewhere, otherAccount).forEach(WorkSignals.Waiter::close);
    }

    @Test
    void aNodeChangeWakesThatNodeAndAClosedWaiterIsForgotten() throws Exception {
        WorkSignals.Waiter node = signals.register("acct", "pool", "Node-1");
        WorkSignals.Waiter other = signals.register("acct", "pool", "node-2");

        signals.nodeChanged("acct", "pool", "node-1");
        assertThat(node.await(0)).isTrue();
        assertThat(other.await(0)).isFalse();

        node.close();
        other.close();
        assertThat(signals.waiting()).isZero();
    }

    @Test
    void closingWakesEveryWaiter() throws Exception {
        WorkSignals.Waiter waiter = signals.register("acct", "pool", "node");

        signals.close();

        assertThat(waiter.await(5_000)).isTrue();
        assertThat(signals.isClosed()).isTrue();
        waiter.close();
    }
}
