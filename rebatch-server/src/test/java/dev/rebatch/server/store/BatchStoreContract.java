package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.server.store.BatchStore.InsertOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link BatchStore} must do, run against each implementation. One store serves a whole class; every
 * test works in an account of its own, which also keeps the tests independent of each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BatchStoreContract {

    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.123456Z");

    protected BatchStore store;
    protected String account;

    /** Opens the store under test; called once per class. */
    protected abstract BatchStore openStore() throws Exception;

    /** Releases what {@link #openStore} set up besides the store (a schema, a directory). */
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

    // ---- insert / find / exists

    @Test
    void insertedResourceIsFoundByIdInAnyCaseWithItsSpellingKept() {
        StoredResource pool = new StoredResource(ResourceKey.topLevel(account, ResourceKind.POOL, "MyPool"), "active",
                "{\"id\":\"MyPool\"}", 7, T0, T0.plusSeconds(1), T0.plusSeconds(2), 3, "failure", "req-1");

        StoredResource stored = store.insert(pool);

        assertThat(stored.version()).as("a new resource starts at version 1").isEqualTo(1);
        assertThat(store.find(ResourceKey.topLevel(account, ResourceKind.POOL, "mypool"))).contains(stored);
        StoredResource found = store.find(ResourceKey.topLevel(account, ResourceKind.POOL, "MYPOOL")).orElseThrow();
        assertThat(found.key().id()).isEqualTo("MyPool");
        assertThat(found).usingRecursiveComparison().ignoringFields("version").isEqualTo(pool);
        assertThat(store.find(ResourceKey.topLevel(account, ResourceKind.JOB, "MyPool")))
                .as("kinds are separate").isEmpty();
        assertThat(store.find(ResourceKey.topLevel(account, ResourceKind.POOL, "other"))).isEmpty();
    }

    @Test
    void parentIdIsCaseInsensitiveAndKeepsItsSpelling() {
        store.insert(task("Job-A", "Task-1", "active"));

        StoredResource found = store.find(new ResourceKey(account, ResourceKind.TASK, "JOB-a", "TASK-1")).orElseThrow();

        assertThat(found.key().parentId()).isEqualTo("Job-A");
        assertThat(found.key().id()).isEqualTo("Task-1");
    }

    @Test
    void timesAreKeptToTheMicrosecondAndReturnedAsStored() {
        Instant withNanos = Instant.parse("2026-03-04T05:06:07.123456789Z");
        StoredResource job = new StoredResource(ResourceKey.topLevel(account, ResourceKind.JOB, "j"), "active", "{}",
                1, withNanos, withNanos, withNanos, null, null, null);

        StoredResource stored = store.insert(job);

        assertThat(stored.creationTime()).isEqualTo(Instant.parse("2026-03-04T05:06:07.123456Z"));
        assertThat(store.find(job.key())).contains(stored);
    }

    @Test
    void insertingAnExistingIdInAnotherCaseFailsWithTheExistingResource() {
        StoredResource original = store.insert(job("Job-1", "{\"v\":\"original\"}"));

        assertThatThrownBy(() -> store.insert(job("JOB-1", "{\"v\":\"second\"}")))
                .isInstanceOfSatisfying(ResourceExistsException.class,
                        e -> assertThat(e.existing()).isEqualTo(original));
        assertThat(store.find(original.key())).contains(original);
    }

    // ---- insertAll

    @Test
    void insertAllReportsCreatedAndExistingInInputOrder() {
        StoredResource existing = store.insert(task("job", "Task-B", "running"));
        List<StoredResource> chunk = List.of(task("job", "Task-A", "active"), task("job", "task-b", "active"),
                task("job", "Task-C", "active"), task("job", "TASK-A", "active"));

        List<InsertOutcome> outcomes = store.insertAll(chunk);

        assertThat(outcomes).extracting(InsertOutcome::created).containsExactly(true, false, true, false);
        assertThat(outcomes.get(0).resource().key().id()).isEqualTo("Task-A");
        assertThat(outcomes.get(1).resource()).as("the stored one, not the input").isEqualTo(existing);
        assertThat(outcomes.get(2).resource().key().id()).isEqualTo("Task-C");
        assertThat(outcomes.get(3).resource()).as("a duplicate within the chunk meets the first")
                .isEqualTo(outcomes.get(0).resource());
        assertThat(outcomes).extracting(o -> o.resource().version()).containsOnly(1L);
        assertThat(store.countByState(account, ResourceKind.TASK, "job"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("active", 2L, "running", 1L));
    }

    @Test
    void insertAllKeepsEveryColumnAsGivenWhateverItsCharacters() {
        // What a store that sends rows as arrays (PostgreSQL) must not garble: quotes, backslashes, braces, commas,
        // the word NULL, other scripts, and real nulls next to values.
        String body = "{\"commandLine\":\"/bin/sh -c \\\"echo {a,b} 'NULL' \\\\ done\\\"\",\"note\":\"ünï € 表\"}";
        Instant created = T0.plusNanos(5_000);
        List<StoredResource> rows = List.of(
                new StoredResource(new ResourceKey(account, ResourceKind.TASK, "Job", "Quote\"d{1},"), "completed",
                        body, 1, created, T0, created, -3, "failure", "NULL"),
                new StoredResource(new ResourceKey(account, ResourceKind.TASK, "Job", "NULL"), "active", "{}", 1, T0,
                        created, T0, null, null, null),
                new StoredResource(new ResourceKey(account, ResourceKind.TASK, "Job", "back\\slash"), "active",
                        "\"\"", 1, T0, T0, T0, 0, "success", "request-1"));

        List<InsertOutcome> outcomes = store.insertAll(rows);

        assertThat(outcomes).extracting(InsertOutcome::created).containsExactly(true, true, true);
        for (StoredResource row : rows) {
            assertThat(store.find(row.key())).as(row.key().id()).contains(ResourceRows.asNew(row));
        }
    }

    @Test
    void insertAllOfNothingDoesNothing() {
        assertThat(store.insertAll(List.of())).isEmpty();
    }

    @Test
    void concurrentInsertAllOfOverlappingChunksCreatesEachResourceOnce() throws Exception {
        int threads = 4;
        List<StoredResource> tasks = IntStream.range(0, 200).mapToObj(i -> task("job", "t-" + i, "active")).toList();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<InsertOutcome>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(executor.submit(() -> {
                    start.await();
                    List<InsertOutcome> outcomes = new ArrayList<>();
                    for (int from = 0; from < tasks.size(); from += 50) {
                        outcomes.addAll(store.insertAll(tasks.subList(from, from + 50)));
                    }
                    return outcomes;
                }));
            }
            start.countDown();
            long created = 0;
            for (Future<List<InsertOutcome>> result : results) {
                List<InsertOutcome> outcomes = result.get(60, TimeUnit.SECONDS);
                assertThat(outcomes).hasSize(tasks.size());
                created += outcomes.stream().filter(InsertOutcome::created).count();
            }
            assertThat(created).as("every task is created by exactly one thread").isEqualTo(tasks.size());
            assertThat(store.countByState(account, ResourceKind.TASK, "job")).containsEntry("active", 200L);
        } finally {
            executor.shutdownNow();
        }
    }

    // ---- update

    @Test
    void updateAgainstTheCurrentVersionStoresTheNextVersion() {
        StoredResource v1 = store.insert(task("job", "Task-1", "active"));
        StoredResource change = new StoredResource(v1.key(), "completed", "{\"done\":true}", v1.version(),
                v1.creationTime(), T0.plusSeconds(60), T0.plusSeconds(60), 0, "success", v1.createRequestId());

        StoredResource v2 = store.update(change);

        assertThat(v2.version()).isEqualTo(2);
        assertThat(store.find(v1.key())).contains(v2);
        assertThat(v2.state()).isEqualTo("completed");
        assertThat(v2.exitCode()).isZero();
    }

    @Test
    void updateAgainstAnOldVersionIsRejectedAndChangesNothing() {
        StoredResource v1 = store.insert(task("job", "Task-1", "active"));
        StoredResource v2 = store.update(withState(v1, "running"));

        assertThatThrownBy(() -> store.update(withState(v1, "completed")))
                .isInstanceOf(StaleVersionException.class);
        assertThat(store.find(v1.key())).contains(v2);
    }

    @Test
    void updateOfAMissingResourceIsStale() {
        StoredResource never = task("job", "never-stored", "active");

        assertThatThrownBy(() -> store.update(never)).isInstanceOf(StaleVersionException.class);
        assertThat(store.find(never.key())).isEmpty();
    }

    @Test
    void concurrentOptimisticUpdatesLoseNothing() throws Exception {
        int threads = 4;
        int updatesPerThread = 25;
        StoredResource counter = store.insert(resource(ResourceKey.topLevel(account, ResourceKind.JOB, "counter"),
                "active", "0"));
        AtomicInteger staleRetries = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(executor.submit(() -> {
                    start.await();
                    int done = 0;
                    while (done < updatesPerThread) {
                        StoredResource current = store.find(counter.key()).orElseThrow();
                        // The body counts the increments: a lost update would show as a smaller number.
                        String next = Integer.toString(Integer.parseInt(current.body()) + 1);
                        try {
                            store.update(withBody(current, next));
                            done++;
                        } catch (StaleVersionException e) {
                            staleRetries.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        StoredResource last = store.find(counter.key()).orElseThrow();
        int successes = threads * updatesPerThread;
        assertThat(last.version()).isEqualTo(1L + successes);
        assertThat(last.body()).isEqualTo(Integer.toString(successes));
        System.out.printf("%s: %d optimistic updates, %d stale retries%n", getClass().getSimpleName(), successes,
                staleRetries.get());
    }

    @Test
    void updateAllWritesEachResourceWhoseVersionIsCurrentAndSkipsTheStaleOnes() {
        StoredResource a = store.insert(task("job", "a", "running"));
        StoredResource b = store.insert(task("job", "b", "running"));
        StoredResource c = store.insert(task("job", "c", "running"));
        store.update(b); // b moves on to version 2 behind the caller's back

        List<Optional<StoredResource>> written = store.updateAll(List.of(withState(a, "completed"),
                withState(b, "completed"), withState(c, "completed")));

        assertThat(written).hasSize(3);
        assertThat(written.get(0)).map(StoredResource::version).contains(2L);
        assertThat(written.get(1)).as("stale").isEmpty();
        assertThat(written.get(2)).map(StoredResource::state).contains("completed");
        assertThat(store.find(a.key()).orElseThrow().state()).isEqualTo("completed");
        assertThat(store.find(b.key()).orElseThrow().state()).as("not written").isEqualTo("running");
        assertThat(store.find(c.key())).isEqualTo(written.get(2));
        assertThat(store.updateAll(List.of())).isEmpty();
    }

    // ---- the service's own work

    @Test
    void findInStateSeesEveryAccountButOnlyThatKindAndState() {
        String otherAccount = account + "-other";
        store.insert(withState(job("gone-1", "{}"), "deleting"));
        store.insert(resource(ResourceKey.topLevel(otherAccount, ResourceKind.JOB, "gone-2"), "deleting", "{}"));
        store.insert(job("kept", "{}"));
        store.insert(resource(ResourceKey.topLevel(account, ResourceKind.POOL, "pool-gone"), "deleting", "{}"));

        List<StoredResource> deleting = store.findInState(ResourceKind.JOB, "deleting", 10_000);

        assertThat(deleting).filteredOn(r -> r.key().account().startsWith(account))
                .extracting(r -> r.key().id()).containsExactlyInAnyOrder("gone-1", "gone-2");
        assertThat(deleting).allSatisfy(r -> {
            assertThat(r.key().kind()).isEqualTo(ResourceKind.JOB);
            assertThat(r.state()).isEqualTo("deleting");
        });
        assertThat(store.findInState(ResourceKind.JOB, "deleting", 1)).hasSize(1);
    }

    @Test
    void findInStateRefusesTasksWhichItsIndexDoesNotHold() {
        assertThatThrownBy(() -> store.findInState(ResourceKind.TASK, "active", 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- delete

    @Test
    void deletingAJobDeletesItsTasksOnly() {
        store.insert(job("Job-1", "{}"));
        store.insertAll(List.of(task("job-1", "a", "active"), task("JOB-1", "b", "completed")));
        store.insert(job("job-2", "{}"));
        StoredResource otherTask = store.insert(task("job-2", "a", "active"));
        StoredResource nodeOfSameNamedPool = store.insert(resource(
                new ResourceKey(account, ResourceKind.NODE, "job-1", "node-1"), "idle", "{}"));

        assertThat(store.delete(ResourceKey.topLevel(account, ResourceKind.JOB, "JOB-1"))).isTrue();

        assertThat(store.find(ResourceKey.topLevel(account, ResourceKind.JOB, "job-1"))).isEmpty();
        assertThat(listAll(ResourceKind.TASK, "job-1", SqlCondition.ALWAYS)).isEmpty();
        assertThat(store.find(otherTask.key())).contains(otherTask);
        assertThat(store.find(nodeOfSameNamedPool.key())).as("a pool's nodes are not a job's tasks")
                .contains(nodeOfSameNamedPool);
        assertThat(store.delete(ResourceKey.topLevel(account, ResourceKind.JOB, "job-1"))).isFalse();
    }

    @Test
    void deletingAPoolDeletesItsNodes() {
        store.insert(resource(ResourceKey.topLevel(account, ResourceKind.POOL, "Pool"), "active", "{}"));
        store.insert(resource(new ResourceKey(account, ResourceKind.NODE, "Pool", "n1"), "idle", "{}"));
        store.insert(resource(new ResourceKey(account, ResourceKind.NODE, "pool", "n2"), "running", "{}"));

        assertThat(store.delete(ResourceKey.topLevel(account, ResourceKind.POOL, "pool"))).isTrue();

        assertThat(listAll(ResourceKind.NODE, "pool", SqlCondition.ALWAYS)).isEmpty();
        assertThat(store.countByState(account, ResourceKind.NODE, "pool")).isEmpty();
    }

    @Test
    void deletingATaskLeavesItsSiblings() {
        store.insertAll(List.of(task("job", "a", "active"), task("job", "b", "active")));

        assertThat(store.delete(new ResourceKey(account, ResourceKind.TASK, "job", "A"))).isTrue();

        assertThat(listAll(ResourceKind.TASK, "job", SqlCondition.ALWAYS)).extracting(r -> r.key().id())
                .containsExactly("b");
    }

    @Test
    void aVersionedDeleteRemovesOnlyTheVersionRead() {
        StoredResource read = store.insert(task("job", "t", "active"));
        StoredResource changed = store.update(withState(read, "running"));

        assertThat(store.deleteIfUnchanged(read)).as("the version read was replaced").isFalse();
        assertThat(store.find(read.key())).contains(changed);
        assertThat(store.deleteIfUnchanged(changed)).isTrue();
        assertThat(store.find(read.key())).isEmpty();
        assertThat(store.deleteIfUnchanged(changed)).as("already gone").isFalse();
    }

    @Test
    void aVersionedDeleteOfAJobTakesItsTasksOnlyWhenItHappens() {
        StoredResource job = store.insert(job("job", "{}"));
        store.insertAll(List.of(task("job", "a", "active")));
        StoredResource changed = store.update(withState(job, "deleting"));

        assertThat(store.deleteIfUnchanged(job)).isFalse();
        assertThat(listAll(ResourceKind.TASK, "job", SqlCondition.ALWAYS)).as("kept with their job").hasSize(1);
        assertThat(store.deleteIfUnchanged(changed)).isTrue();
        assertThat(listAll(ResourceKind.TASK, "job", SqlCondition.ALWAYS)).isEmpty();
    }

    // ---- children stored under a condition on their parent

    @Test
    void tasksAreStoredWhileTheirJobMeetsTheCondition() {
        StoredResource job = store.insert(job("Job", "{}"));

        List<InsertOutcome> outcomes = store.insertTasks(ParentCondition.of(job, Set.of("active", "disabled")),
                List.of(task("job", "a", "active"), task("JOB", "b", "active")), QueueFacts.notQueued(job.version()));

        assertThat(outcomes).allMatch(InsertOutcome::created);
        assertThat(listAll(ResourceKind.TASK, "job", SqlCondition.ALWAYS)).hasSize(2);
    }

    @Test
    void tasksOfAJobInAnotherStateAreRefusedAndNothingIsStored() {
        StoredResource job = store.insert(job("job", "{}"));
        ParentCondition whileActive = ParentCondition.of(job, Set.of("active"));
        store.update(withState(job, "terminating"));

        assertThatThrownBy(() -> store.insertTasks(whileActive, List.of(task("job", "a", "active")),
                QueueFacts.notQueued(1)))
                .isInstanceOfSatisfying(ParentChangedException.class,
                        refused -> assertThat(refused.current()).map(StoredResource::state).contains("terminating"));
        assertThat(listAll(ResourceKind.TASK, "job", SqlCondition.ALWAYS)).isEmpty();
    }

    @Test
    void tasksOfAJobThatIsGoneOrWasCreatedAgainAreRefused() {
        StoredResource first = store.insert(job("job", "{}"));
        ParentCondition ofTheFirst = ParentCondition.of(first, Set.of("active"));
        store.delete(first.key());

        assertThatThrownBy(() -> store.insertTasks(ofTheFirst, List.of(task("job", "a", "active")),
                QueueFacts.notQueued(1)))
                .isInstanceOfSatisfying(ParentChangedException.class, gone -> assertThat(gone.current()).isEmpty());

        StoredResource second = store.insert(new StoredResource(first.key(), "active", "{}", 1, T0.plusSeconds(60),
                T0.plusSeconds(60), T0.plusSeconds(60), null, null, null));
        assertThatThrownBy(() -> store.insertTasks(ofTheFirst, List.of(task("job", "a", "active")),
                QueueFacts.notQueued(1)))
                .as("the same id, another job")
                .isInstanceOfSatisfying(ParentChangedException.class,
                        replaced -> assertThat(replaced.current()).contains(second));
        assertThat(listAll(ResourceKind.TASK, "job", SqlCondition.ALWAYS)).isEmpty();
    }

    @Test
    void aNodeIsStoredUnderAPoolOnlyWhileThePoolMeetsTheCondition() {
        StoredResource pool = store.insert(resource(ResourceKey.topLevel(account, ResourceKind.POOL, "pool"), "active",
                "{}"));
        StoredResource node = resource(new ResourceKey(account, ResourceKind.NODE, "pool", "n1"), "idle", "{}");

        assertThat(store.insertUnder(ParentCondition.of(pool, Set.of("active")), node).key()).isEqualTo(node.key());
        assertThatThrownBy(() -> store.insertUnder(ParentCondition.of(pool, Set.of("active")), node))
                .isInstanceOf(ResourceExistsException.class);

        store.update(withState(store.find(pool.key()).orElseThrow(), "deleting"));
        StoredResource another = resource(new ResourceKey(account, ResourceKind.NODE, "pool", "n2"), "idle", "{}");
        assertThatThrownBy(() -> store.insertUnder(ParentCondition.of(pool, Set.of("active")), another))
                .isInstanceOf(ParentChangedException.class);
        assertThat(store.find(another.key())).isEmpty();
    }

    @Test
    void concurrentInsertsOfOneNodeUnderItsPoolCreateItOnce() throws Exception {
        // What makes a registration that names its node idempotent across service instances: one insert creates the
        // node, every other one is told it exists and is handed the node that was stored.
        StoredResource pool = store.insert(resource(ResourceKey.topLevel(account, ResourceKind.POOL, "pool"), "active",
                "{}"));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Optional<StoredResource>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String body = "{\"by\":" + t + "}";
                results.add(executor.submit(() -> {
                    start.await();
                    try {
                        return Optional.of(store.insertUnder(ParentCondition.of(pool, Set.of("active")),
                                resource(new ResourceKey(account, ResourceKind.NODE, "pool", "tvmps_1"), "idle", body)));
                    } catch (ResourceExistsException exists) {
                        assertThat(exists.existing().key().id()).isEqualTo("tvmps_1");
                        return Optional.empty();
                    }
                }));
            }
            start.countDown();
            List<StoredResource> created = new ArrayList<>();
            for (Future<Optional<StoredResource>> result : results) {
                result.get(60, TimeUnit.SECONDS).ifPresent(created::add);
            }
            assertThat(created).as("exactly one insert creates the node").hasSize(1);
            assertThat(store.find(created.getFirst().key())).hasValueSatisfying(
                    stored -> assertThat(stored.body()).isEqualTo(created.getFirst().body()));
            assertThat(store.countByState(account, ResourceKind.NODE, "pool")).containsExactly(Map.entry("idle", 1L));
        } finally {
            executor.shutdownNow();
        }
    }

    // ---- list

    @Test
    void pagesFollowIdOrderAndTheLastPageSaysSo() {
        store.insertAll(List.of(task("job", "c", "active"), task("job", "A", "active"), task("job", "b", "active"),
                task("job", "D", "active")));

        Page first = store.list(new ListQuery(account, ResourceKind.TASK, "job", SqlCondition.ALWAYS, null, 2));
        Page second = store.list(new ListQuery(account, ResourceKind.TASK, "JOB", SqlCondition.ALWAYS,
                first.nextAfterKey(), 2));

        assertThat(first.items()).extracting(r -> r.key().id()).containsExactly("A", "b");
        assertThat(first.nextAfterKey()).isEqualTo("b");
        assertThat(second.items()).extracting(r -> r.key().id()).containsExactly("c", "D");
        assertThat(second.nextAfterKey()).as("exactly a full last page is still the last").isNull();
    }

    @Test
    void pagingWhileItemsAreAddedNeitherLosesNorRepeatsAnItem() {
        List<StoredResource> initial = IntStream.range(0, 60)
                .mapToObj(i -> task("job", (i % 2 == 0 ? "item-" : "ITEM-") + "%03d".formatted(i), "active"))
                .toList();
        store.insertAll(initial);

        List<String> seen = new ArrayList<>();
        String after = null;
        int round = 0;
        do {
            Page page = store.list(new ListQuery(account, ResourceKind.TASK, "job", SqlCondition.ALWAYS, after, 7));
            page.items().forEach(r -> seen.add(r.key().idKey()));
            after = page.nextAfterKey();
            // Between page fetches, add before the cursor, right after it, and at the end.
            round++;
            store.insertAll(List.of(task("job", "aaa-" + round, "active"),
                    task("job", (after == null ? "item" : after) + "-new-" + round, "active"),
                    task("job", "zzz-" + round, "active")));
        } while (after != null);

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).isSorted();
        assertThat(seen).containsAll(initial.stream().map(r -> r.key().idKey()).toList());
    }

    @Test
    void listAppliesTheFilterCondition() {
        store.insertAll(List.of(finished("t1", 0, "success"), finished("t2", 1, "failure"), finished("t3", 0, "success"),
                task("job", "t4", "active"), task("job", "t5", "running"), finished("t6", 2, "failure")));

        List<StoredResource> completed = listAll(ResourceKind.TASK, "job",
                new SqlCondition("state = ?", List.of("completed")));
        List<StoredResource> failed = listAll(ResourceKind.TASK, "job",
                new SqlCondition("exit_code <> ? AND execution_result = ?", List.of(0, "failure")));
        List<StoredResource> none = listAll(ResourceKind.TASK, "job",
                new SqlCondition("state = ? OR state = ?", List.of("deleting", "disabled")));

        assertThat(completed).extracting(r -> r.key().id()).containsExactly("t1", "t2", "t3", "t6");
        assertThat(failed).extracting(r -> r.key().id()).containsExactly("t2", "t6");
        assertThat(none).isEmpty();
    }

    @Test
    void listFiltersOnTimes() {
        StoredResource early = store.insert(task("job", "early", "active"));
        StoredResource late = store.insert(new StoredResource(new ResourceKey(account, ResourceKind.TASK, "job",
                "late"), "active", "{}", 1, T0.plusSeconds(10), T0.plusSeconds(10), T0.plusSeconds(10), null, null,
                null));

        List<StoredResource> after = listAll(ResourceKind.TASK, "job",
                new SqlCondition("creation_time > ?", List.of(EpochMicros.of(T0.plusSeconds(5)))));

        assertThat(after).containsExactly(late);
        assertThat(early.creationTime()).isBefore(T0.plusSeconds(5));
    }

    @Test
    void listRejectsALimitOutsideTheContract() {
        assertThatThrownBy(() -> store.list(new ListQuery(account, ResourceKind.JOB, "", SqlCondition.ALWAYS, null,
                0))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- counts

    @Test
    void countsChildrenByStateAndByResult() {
        store.insertAll(List.of(finished("t1", 0, "success"), finished("t2", 1, "failure"), finished("t3", 0, "success"),
                task("job", "t4", "active"), task("job", "t5", "running"), task("job", "t6", "active"),
                task("other-job", "t7", "active")));

        assertThat(store.countByState(account, ResourceKind.TASK, "JOB"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("active", 2L, "running", 1L, "completed", 3L));
        assertThat(store.countByResult(account, ResourceKind.TASK, "job"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("success", 2L, "failure", 1L));
        assertThat(store.countByState(account, ResourceKind.TASK, "no-such-job")).isEmpty();
    }

    // ---- accounts

    @Test
    void accountsNeverSeeEachOther() {
        String mine = account;
        String theirs = "acct-" + UUID.randomUUID();
        StoredResource myJob = store.insert(job("job", "{\"owner\":\"me\"}"));
        StoredResource myTask = store.insert(task("job", "t1", "active"));
        StoredResource theirJob = store.insert(new StoredResource(ResourceKey.topLevel(theirs, ResourceKind.JOB, "JOB"),
                "active", "{\"owner\":\"them\"}", 1, T0, T0, T0, null, null, null));
        StoredResource theirTask = store.insert(new StoredResource(new ResourceKey(theirs, ResourceKind.TASK, "job",
                "T1"), "completed", "{}", 1, T0, T0, T0, 0, "success", null));

        assertThat(store.find(ResourceKey.topLevel(mine, ResourceKind.JOB, "job"))).contains(myJob);
        assertThat(store.find(ResourceKey.topLevel(theirs, ResourceKind.JOB, "job"))).contains(theirJob);
        assertThat(listAll(ResourceKind.TASK, "job", SqlCondition.ALWAYS)).containsExactly(myTask);
        assertThat(store.countByState(theirs, ResourceKind.TASK, "job")).isEqualTo(Map.of("completed", 1L));
        assertThat(store.countByResult(mine, ResourceKind.TASK, "job")).isEmpty();

        store.update(withState(myTask, "running"));
        assertThat(store.delete(myJob.key())).isTrue();

        assertThat(store.find(theirJob.key())).contains(theirJob);
        assertThat(store.find(theirTask.key())).contains(theirTask);
    }

    // ---- helpers

    protected List<StoredResource> listAll(ResourceKind kind, String parentId, SqlCondition filter) {
        List<StoredResource> all = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        String after = null;
        do {
            Page page = store.list(new ListQuery(account, kind, parentId, filter, after, 2));
            for (StoredResource r : page.items()) {
                assertThat(keys.add(r.key().idKey())).as("listed twice: %s", r.key()).isTrue();
                all.add(r);
            }
            after = page.nextAfterKey();
        } while (after != null);
        return all;
    }

    private StoredResource job(String id, String body) {
        return resource(ResourceKey.topLevel(account, ResourceKind.JOB, id), "active", body);
    }

    private StoredResource task(String jobId, String id, String state) {
        return resource(new ResourceKey(account, ResourceKind.TASK, jobId, id), state, "{\"id\":\"" + id + "\"}");
    }

    private StoredResource finished(String id, int exitCode, String result) {
        return new StoredResource(new ResourceKey(account, ResourceKind.TASK, "job", id), "completed", "{}", 1, T0,
                T0, T0, exitCode, result, null);
    }

    private static StoredResource resource(ResourceKey key, String state, String body) {
        return new StoredResource(key, state, body, 1, T0, T0, T0, null, null, null);
    }

    private static StoredResource withState(StoredResource r, String state) {
        return new StoredResource(r.key(), state, r.body(), r.version(), r.creationTime(), r.lastModified(),
                r.stateTransitionTime(), r.exitCode(), r.executionResult(), r.createRequestId());
    }

    private static StoredResource withBody(StoredResource r, String body) {
        return new StoredResource(r.key(), r.state(), body, r.version(), r.creationTime(), r.lastModified(),
                r.stateTransitionTime(), r.exitCode(), r.executionResult(), r.createRequestId());
    }
}
