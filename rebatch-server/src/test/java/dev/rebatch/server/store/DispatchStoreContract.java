package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the {@link DispatchStore} part of every store must do: the queue order, queue facts, grants with their
 * fencing epoch, renewals, expiry by the database clock, and concurrent grants that never hand out a task twice.
 * Times are real: on PostgreSQL expiry is measured by the database's clock, so the tests use short leases and wait.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DispatchStoreContract {

    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07Z");
    private static final Duration LONG = Duration.ofMinutes(5);

    protected BatchStore store;
    protected String account;

    protected abstract BatchStore openStore() throws Exception;

    protected void afterStoreClosed() throws Exception {}

    @BeforeAll
    void openTheStore() throws Exception {
        store = openStore();
    }

    @AfterAll
    void closeTheStore() throws Exception {
        if (store != null) {
            store.close();
        }
        afterStoreClosed();
    }

    @BeforeEach
    void freshAccount() {
        account = "acct-" + UUID.randomUUID();
    }

    // ---- the queue

    @Test
    void theQueueIsHighestJobPriorityFirstThenOldestTask() {
        insertTasks(List.of(task("low", "a", 1), task("low", "b", 2)), new QueueFacts("pool", 0, 1));
        insertTasks(List.of(task("high", "c", 5), task("high", "d", 3)), new QueueFacts("pool", 100, 1));
        insertTasks(List.of(task("other-pool", "e", 0)), new QueueFacts("elsewhere", 500, 1));

        List<String> order = queuedIds("pool", null, 10);

        assertThat(order).containsExactly("high/d", "high/c", "low/a", "low/b");
    }

    @Test
    void aScanContinuesAfterThePositionItReached() {
        insertTasks(IntStream.range(0, 5).mapToObj(i -> task("job", "t" + i, i)).toList(),
                new QueueFacts("pool", 0, 1));

        QueuePosition third = store.inLeaseTransaction(tx -> tx.queued(account, "pool", null, 3)).getLast().position();

        assertThat(queuedIds("pool", third, 10)).containsExactly("job/t3", "job/t4");
    }

    @Test
    void tasksLeaveTheQueueWhenTheyAreNoLongerActive() {
        StoredResource task = insertTasks(List.of(task("job", "t", 0)), new QueueFacts("pool", 0, 1))
                .getFirst().resource();

        store.update(withState(task, "completed"));

        assertThat(queuedIds("pool", null, 10)).isEmpty();
    }

    @Test
    void tasksInsertedWithoutFactsOrNotQueuedAreInNoQueue() {
        store.insertAll(List.of(task("plain", "t", 0)));
        insertTasks(List.of(task("disabled", "t", 0)), QueueFacts.notQueued(1));

        assertThat(queuedIds("pool", null, 10)).isEmpty();
    }

    @Test
    void anUnqueuedTaskStaysActiveOutOfTheQueueUntilItsJobsFactsAreCopiedAgain() {
        StoredResource job = store.insert(job("job"));
        StoredResource task = insertTasks(List.of(task("job", "t", 0), task("job", "u", 1)),
                new QueueFacts("pool", 0, job.version())).getFirst().resource();

        boolean first = store.inLeaseTransaction(tx -> tx.unqueue(task.key()));
        boolean again = store.inLeaseTransaction(tx -> tx.unqueue(task.key()));
        assertThat(first).isTrue();
        assertThat(again).as("out already").isFalse();

        assertThat(queuedIds("pool", null, 10)).containsExactly("job/u");
        StoredResource unchanged = store.find(task.key()).orElseThrow();
        assertThat(unchanged.version()).as("no change a client sees").isEqualTo(task.version());
        assertThat(unchanged.state()).isEqualTo("active");
        assertThat(store.updateQueueFacts(account, "job", new QueueFacts("pool", 0, job.version()))).isEqualTo(1);
        assertThat(queuedIds("pool", null, 10)).containsExactly("job/t", "job/u");
    }

    @Test
    void tasksOfAJobAreFoundByIdsInAnyCase() {
        insertTasks(IntStream.range(0, 600).mapToObj(i -> task("job", "T" + i, i)).toList(),
                new QueueFacts("pool", 0, 1));
        insertTasks(List.of(task("other", "t1", 0)), new QueueFacts("pool", 0, 1));
        List<String> wanted = new ArrayList<>(IntStream.range(0, 600).mapToObj(i -> "t" + i).toList());
        wanted.add("missing");

        List<StoredResource> found = store.inLeaseTransaction(tx -> tx.findTasks(account, "JOB", wanted));

        assertThat(found).hasSize(600).allSatisfy(t -> assertThat(t.key().parentId()).isEqualTo("job"));
        assertThat(found.stream().map(t -> t.key().id())).contains("T0", "T599");
    }

    @Test
    void queueFactsAreCopiedFromTheJobsCurrentVersionOnly() {
        StoredResource v1 = store.insert(job("job"));
        insertTasks(List.of(task("job", "t", 0)), new QueueFacts("pool", 0, v1.version()));
        StoredResource v2 = store.update(v1);

        assertThat(store.updateQueueFacts(account, "job", new QueueFacts("pool", 0, v1.version())))
                .as("read from an older version of the job").isZero();
        assertThat(store.updateQueueFacts(account, "JOB", new QueueFacts("other", 7, v2.version()))).isEqualTo(1);
        assertThat(store.updateQueueFacts(account, "job", new QueueFacts("other", 7, v2.version())))
                .as("the tasks carry these facts already").isZero();

        assertThat(queuedIds("pool", null, 10)).isEmpty();
        List<QueuedTask> other = store.inLeaseTransaction(tx -> tx.queued(account, "other", null, 10));
        assertThat(other).singleElement().satisfies(q -> assertThat(q.position().priority()).isEqualTo(7));
        assertThat(store.updateQueueFacts(account, "job", QueueFacts.notQueued(v2.version()))).isEqualTo(1);
        assertThat(queuedIds("other", null, 10)).isEmpty();
        assertThat(store.updateQueueFacts(account, "gone", QueueFacts.notQueued(1))).as("no such job").isZero();
    }

    @Test
    void concurrentCopiesOfAJobsFactsSettleOnItsNewestVersion() throws Exception {
        StoredResource job = store.insert(job("job"));
        insertTasks(IntStream.range(0, 50).mapToObj(i -> task("job", "t" + i, i)).toList(),
                new QueueFacts("pool", 0, job.version()));
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> copies = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                StoredResource read = store.find(job.key()).orElseThrow();
                StoredResource next = store.update(read);
                int priority = round;
                // A copy of the version just replaced races the copy of the new one.
                copies.add(executor.submit(() -> store.updateQueueFacts(account, "job",
                        new QueueFacts("pool", -1, read.version()))));
                copies.add(executor.submit(() -> store.updateQueueFacts(account, "job",
                        new QueueFacts("pool", priority, next.version()))));
            }
            for (Future<?> copy : copies) {
                copy.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        List<QueuedTask> queued = store.inLeaseTransaction(tx -> tx.queued(account, "pool", null, 100));
        assertThat(queued).hasSize(50).allSatisfy(q -> assertThat(q.position().priority()).isEqualTo(19));
    }

    @Test
    void queuesAreSeparatePerAccount() {
        insertTasks(List.of(task("job", "t", 0)), new QueueFacts("pool", 0, 1));
        String mine = account;
        account = "acct-" + UUID.randomUUID();

        assertThat(queuedIds("pool", null, 10)).isEmpty();
        account = mine;
        assertThat(queuedIds("pool", null, 10)).containsExactly("job/t");
    }

    // ---- grants and the fencing epoch

    @Test
    void aGrantLeasesTheTaskWithTheNextEpoch() {
        insertTasks(List.of(task("job", "t", 0)), new QueueFacts("pool", 0, 1));

        LeasedResource first = grantHead("node-1", LONG);

        assertThat(first.lease().nodeId()).isEqualTo("node-1");
        assertThat(first.lease().epoch()).isEqualTo(1);
        assertThat(first.lease().expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
        assertThat(first.resource().state()).isEqualTo("running");
        assertThat(first.resource().version()).isEqualTo(2);
        assertThat(store.findLeased(first.key())).contains(first);
        assertThat(queuedIds("pool", null, 10)).as("a leased task is not waiting").isEmpty();

        StoredResource requeued = store.update(withState(first.resource(), "active"));
        LeasedResource second = grantHead("node-2", LONG);

        assertThat(second.lease().epoch()).isEqualTo(2);
        assertThat(second.lease().nodeId()).isEqualTo("node-2");
        assertThat(second.resource().version()).isEqualTo(requeued.version() + 1);
    }

    @Test
    void aTaskLeavingTheLeasedStatesKeepsItsNodeAndEpochButNoExpiry() {
        insertTasks(List.of(task("job", "t", 0)), new QueueFacts("pool", 0, 1));
        LeasedResource granted = grantHead("node-1", LONG);

        StoredResource started = store.update(withState(granted.resource(), "running"));
        assertThat(store.findLeased(granted.key()).orElseThrow().lease()).as("still leased").isEqualTo(granted.lease());

        store.update(withState(started, "completed"));
        LeasedResource completed = store.findLeased(granted.key()).orElseThrow();

        assertThat(completed.lease().nodeId()).isEqualTo("node-1");
        assertThat(completed.lease().epoch()).isEqualTo(1);
        assertThat(completed.lease().expiresAt()).isNull();
        // The store is shared with other tests, whose leases expire by then too.
        assertThat(store.findExpired(ResourceKind.TASK, DispatchStore.LEASED, Instant.now().plus(LONG).plus(LONG), 1000))
                .extracting(LeasedResource::key).doesNotContain(granted.key());
    }

    @Test
    void aNodeKeepsItsExpiryThroughItsUpdates() {
        StoredResource node = store.insert(new StoredResource(new ResourceKey(account, ResourceKind.NODE, "pool",
                "tvmps_1"), "idle", "{}", 1, T0, T0, T0, null, null, null));
        store.keepAlive(node.key(), LONG, Instant.now());
        Instant expiry = store.findLeased(node.key()).orElseThrow().lease().expiresAt();

        store.update(withState(node, "offline"));

        assertThat(expiry).isNotNull();
        assertThat(store.findLeased(node.key()).orElseThrow().lease().expiresAt()).isEqualTo(expiry);
    }

    @Test
    void aGrantOfAChangedTaskFailsItsWholeTransaction() {
        insertTasks(List.of(task("job", "fresh", 0)), new QueueFacts("pool", 0, 1));
        StoredResource task = insertTasks(List.of(task("job", "changed", 1)), new QueueFacts("pool", 0, 1))
                .getFirst().resource();
        LeasedResource read = store.findLeased(task.key()).orElseThrow();
        store.update(withState(task, "active"));

        assertThatThrownBy(() -> store.inLeaseTransaction(tx -> {
            QueuedTask fresh = tx.queued(account, "pool", null, 1).getFirst();
            assertThat(fresh.resource().key().id()).isEqualTo("fresh");
            tx.grant(fresh.task(), withState(fresh.resource(), "running"), "node", LONG, Instant.now());
            return tx.grant(read, withState(task, "running"), "node", LONG, Instant.now());
        })).isInstanceOf(StaleVersionException.class);
        assertThat(store.findLeased(task.key()).orElseThrow().lease().epoch()).isZero();
        assertThat(queuedIds("pool", null, 10)).as("the other grant of the transaction was not written either")
                .containsExactly("job/fresh", "job/changed");
    }

    @Test
    void grantsAreWrittenWhenTheTransactionsWorkEndsAndReadsBeforeSeeTheTaskAsItWas() {
        insertTasks(List.of(task("job", "t", 0)), new QueueFacts("pool", 0, 1));

        LeasedResource granted = store.inLeaseTransaction(tx -> {
            QueuedTask head = tx.queued(account, "pool", null, 1).getFirst();
            LeasedResource lease = tx.grant(head.task(), withState(head.resource(), "running"), "node", LONG,
                    Instant.now());
            assertThat(tx.find(head.resource().key()).orElseThrow().state()).isEqualTo("active");
            return lease;
        });

        assertThat(store.findLeased(granted.key())).contains(granted);
    }

    @Test
    void concurrentGrantTransactionsNeverHandOutATaskTwice() throws Exception {
        int tasks = 200;
        int workers = 4;
        insertTasks(IntStream.range(0, tasks).mapToObj(i -> task("job", "t" + i, i % 7)).toList(),
                new QueueFacts("pool", 0, 1));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(workers);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String node = "node-" + w;
                results.add(executor.submit(() -> {
                    go.await();
                    List<String> granted = new ArrayList<>();
                    while (true) {
                        List<String> round = store.inLeaseTransaction(tx -> {
                            List<String> mine = new ArrayList<>();
                            for (QueuedTask queued : tx.queued(account, "pool", null, 3)) {
                                mine.add(tx.grant(queued.task(), withState(queued.resource(), "running"), node, LONG,
                                        Instant.now()).key().id());
                            }
                            return mine;
                        });
                        if (round.isEmpty()) {
                            return granted;
                        }
                        granted.addAll(round);
                    }
                }));
            }
            go.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> result : results) {
                all.addAll(result.get(120, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(tasks).doesNotHaveDuplicates();
            assertThat(store.countByState(account, ResourceKind.TASK, "job")).containsEntry("running", (long) tasks);
        } finally {
            executor.shutdownNow();
        }
    }

    // ---- renewals, expiry, holders

    @Test
    void onlyTheHolderAtTheCurrentEpochRenewsALeasedTask() {
        insertTasks(List.of(task("job", "t", 0)), new QueueFacts("pool", 0, 1));
        LeasedResource granted = grantHead("node-1", Duration.ofSeconds(30));
        ResourceKey key = granted.key();

        assertThat(store.renewLease(key, "node-2", 1, LONG, Instant.now())).as("another node").isFalse();
        assertThat(store.renewLease(key, "node-1", 0, LONG, Instant.now())).as("an old epoch").isFalse();
        assertThat(store.renewLease(key, "node-1", 1, LONG, Instant.now())).isTrue();
        LeasedResource renewed = store.findLeased(key).orElseThrow();
        assertThat(renewed.lease().expiresAt()).isAfter(granted.lease().expiresAt());
        assertThat(renewed.resource().version()).as("a renewal is no visible change").isEqualTo(2);

        store.update(withState(renewed.resource(), "completed"));
        assertThat(store.renewLease(key, "node-1", 1, LONG, Instant.now())).as("a completed task").isFalse();
    }

    @Test
    void anExpiredLeaseIsFoundAndRequeuedOnlyWhileStillExpired() throws Exception {
        insertTasks(List.of(task("job", "a", 0), task("job", "b", 1)), new QueueFacts("pool", 0, 1));
        LeasedResource a = grantHead("node-1", Duration.ofMillis(200));
        LeasedResource b = grantHead("node-1", Duration.ofMillis(200));
        assertThat(expiredTasks()).isEmpty();

        Thread.sleep(600);
        assertThat(expiredTasks()).containsExactlyInAnyOrder("a", "b");
        assertThat(store.renewLease(b.key(), "node-1", 1, LONG, Instant.now())).isTrue();

        assertThat(store.updateIfExpired(withState(a.resource(), "active"), Instant.now())).isPresent();
        assertThat(store.updateIfExpired(withState(b.resource(), "active"), Instant.now()))
                .as("renewed after it was found expired").isEmpty();
        assertThat(store.find(b.key()).orElseThrow().state()).isEqualTo("running");
        assertThat(queuedIds("pool", null, 10)).containsExactly("job/a");
    }

    @Test
    void aNodeKeptAliveIsNotExpired() throws Exception {
        StoredResource node = store.insert(new StoredResource(new ResourceKey(account, ResourceKind.NODE, "pool",
                "tvmps_1"), "idle", "{}", 1, T0, T0, T0, null, null, null));

        assertThat(store.keepAlive(node.key(), Duration.ofMillis(200), Instant.now())).isTrue();
        assertThat(expiredNodes()).isEmpty();
        Thread.sleep(600);
        assertThat(expiredNodes()).containsExactly("tvmps_1");
        store.keepAlive(node.key(), LONG, Instant.now());
        assertThat(expiredNodes()).isEmpty();
        assertThat(store.find(node.key()).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void theTasksANodeHoldsAreTheLeasedOnesNamingIt() {
        insertTasks(IntStream.range(0, 4).mapToObj(i -> task("job", "t" + i, i)).toList(),
                new QueueFacts("pool", 0, 1));
        LeasedResource first = grantHead("node-1", LONG);
        grantHead("node-2", LONG);
        LeasedResource third = grantHead("node-1", LONG);
        store.update(withState(first.resource(), "completed"));

        assertThat(store.findHeldBy(account, "node-1")).extracting(held -> held.key().id()).containsExactly("t2");
        assertThat(store.findHeldBy("another-account", "node-1")).isEmpty();
        assertThat(third.key().id()).isEqualTo("t2");
    }

    @Test
    void manyKeysAreReadWithTheirLeasesAcrossJobsAndSpellings() {
        insertTasks(IntStream.range(0, 3).mapToObj(i -> task("job-a", "t" + i, i)).toList(),
                new QueueFacts("pool", 0, 1));
        insertTasks(List.of(task("job-b", "t0", 5)), new QueueFacts("other-pool", 0, 1));
        LeasedResource granted = grantHead("node-1", LONG);

        List<LeasedResource> found = store.findLeased(List.of(
                new ResourceKey(account, ResourceKind.TASK, "JOB-A", "T0"),   // the granted one, spelled otherwise
                new ResourceKey(account, ResourceKind.TASK, "job-a", "t2"),
                new ResourceKey(account, ResourceKind.TASK, "job-a", "t2"),   // twice: read once
                new ResourceKey(account, ResourceKind.TASK, "job-a", "missing"),
                new ResourceKey(account, ResourceKind.TASK, "job-b", "t0"),
                new ResourceKey("another-account", ResourceKind.TASK, "job-b", "t0")));

        assertThat(found).extracting(r -> r.key().parentId() + "/" + r.key().id())
                .containsExactlyInAnyOrder("job-a/t0", "job-a/t2", "job-b/t0");
        assertThat(found).filteredOn(r -> r.key().id().equals("t0") && r.key().parentId().equals("job-a"))
                .singleElement().isEqualTo(granted);
        assertThat(found).filteredOn(r -> r.key().id().equals("t2")).singleElement()
                .satisfies(r -> assertThat(r.lease().epoch()).isZero());
        assertThat(store.findLeased(List.<ResourceKey>of())).isEmpty();
    }

    @Test
    void moreKeysThanOneStatementTakesAreAllRead() {
        // 1,200: more than one statement of every store's keyed read takes (100 keys, or 500 ids of a job).
        insertTasks(IntStream.range(0, 1_200).mapToObj(i -> task("job-a", "t" + i, i)).toList(),
                new QueueFacts("pool", 0, 1));

        List<LeasedResource> found = store.findLeased(IntStream.range(0, 1_201)
                .mapToObj(i -> new ResourceKey(account, ResourceKind.TASK, "job-a", "t" + i)).toList());

        assertThat(found).hasSize(1_200).extracting(r -> r.key().id()).doesNotHaveDuplicates()
                .contains("t0", "t499", "t500", "t1199").doesNotContain("t1200");
    }

    @Test
    void aLockedReadReturnsTheRowInsideTheTransaction() {
        StoredResource job = store.insert(new StoredResource(ResourceKey.topLevel(account, ResourceKind.JOB, "Job"),
                "active", "{}", 1, T0, T0, T0, null, null, null));

        Optional<StoredResource> locked = store.inLeaseTransaction(
                tx -> tx.lock(ResourceKey.topLevel(account, ResourceKind.JOB, "job")));
        Optional<StoredResource> found = store.inLeaseTransaction(tx -> tx.find(job.key()));

        assertThat(locked).contains(job);
        assertThat(found).contains(job);
    }

    // ---- helpers

    private List<String> queuedIds(String poolKey, QueuePosition after, int limit) {
        return store.inLeaseTransaction(tx -> tx.queued(account, poolKey, after, limit)).stream()
                .map(q -> q.resource().key().parentId() + "/" + q.resource().key().id()).toList();
    }

    /** Grants the head of "pool" to {@code node}. */
    private LeasedResource grantHead(String node, Duration ttl) {
        return store.inLeaseTransaction(tx -> {
            QueuedTask head = tx.queued(account, "pool", null, 1).getFirst();
            return tx.grant(head.task(), withState(head.resource(), "running"), node, ttl, Instant.now());
        });
    }

    private Set<String> expiredTasks() {
        Set<String> ids = new HashSet<>();
        for (LeasedResource expired : store.findExpired(ResourceKind.TASK, DispatchStore.LEASED, Instant.now(), 100)) {
            if (expired.key().account().equals(account)) {
                ids.add(expired.key().id());
            }
        }
        return ids;
    }

    private List<String> expiredNodes() {
        return store.findExpired(ResourceKind.NODE, Set.of("idle"), Instant.now(), 100).stream()
                .filter(node -> node.key().account().equals(account)).map(node -> node.key().id()).toList();
    }

    private StoredResource job(String id) {
        return new StoredResource(ResourceKey.topLevel(account, ResourceKind.JOB, id), "active", "{}", 1, T0, T0, T0,
                null, null, null);
    }

    /** Inserts tasks of one job through the guarded store call, creating their (active) job first if need be. */
    private List<BatchStore.InsertOutcome> insertTasks(List<StoredResource> tasks, QueueFacts facts) {
        ResourceKey jobKey = ResourceKey.topLevel(account, ResourceKind.JOB, tasks.getFirst().key().parentId());
        StoredResource job = store.find(jobKey).orElseGet(() -> store.insert(job(jobKey.id())));
        return store.insertTasks(ParentCondition.of(job, Set.of(job.state())), tasks, facts);
    }

    private StoredResource task(String jobId, String id, int secondsAfterT0) {
        Instant created = T0.plusSeconds(secondsAfterT0);
        return new StoredResource(new ResourceKey(account, ResourceKind.TASK, jobId, id), "active",
                "{\"id\":\"" + id + "\"}", 1, created, created, created, null, null, null);
    }

    private static StoredResource withState(StoredResource r, String state) {
        return new StoredResource(r.key(), state, r.body(), r.version(), r.creationTime(), r.lastModified(),
                r.stateTransitionTime(), r.exitCode(), r.executionResult(), r.createRequestId());
    }
}
