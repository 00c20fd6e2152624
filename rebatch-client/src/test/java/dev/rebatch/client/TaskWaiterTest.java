package dev.rebatch.client;

import static dev.rebatch.client.FakeBatch.assertSeparateCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.client.fake.ScriptedBatchEndpoint.RecordedRequest;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.retry.classify.Category;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskOperations#waitForTasks}: polling the task counts on the virtual clock, with intervals that grow while
 * nothing changes and follow the completion rate while tasks complete.
 */
class TaskWaiterTest {

    private static final String POLL = "GET /jobs/job-1/taskcounts";

    private FakeBatch batch;
    private final List<TaskCountsSnapshot> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startEndpoint() {
        batch = FakeBatch.start();
    }

    @AfterEach
    void closeEndpoint() {
        batch.close();
    }

    @Test
    void pollsWithGrowingIntervalsWhileNothingChangesReportsProgressAndReturnsWhenAllCompleted() {
        Step threeActive = counts(3, 0, 0, 0, 0);
        batch.then(threeActive, threeActive, threeActive, counts(1, 2, 0, 0, 0), counts(0, 0, 3, 2, 1));

        TaskCountsSnapshot done = batch.client().tasks().waitForTasks("job-1", options(ms(100), ms(5000), hours(1)));

        // The wait grows by half while the counts stay the same, and drops back to the first one when they change.
        assertThat(batch.time.sleeps()).containsExactly(ms(100), ms(150), ms(225), ms(100));
        assertThat(progress).extracting(TaskCountsSnapshot::elapsed)
                .containsExactly(ms(0), ms(100), ms(250), ms(475), ms(575));
        assertThat(progress).extracting(TaskCountsSnapshot::active).containsExactly(3L, 3L, 3L, 1L, 0L);
        assertThat(done).isEqualTo(progress.get(4));
        assertThat(done.allCompleted()).isTrue();
        assertThat(done.completed()).isEqualTo(3);
        assertThat(done.succeeded()).isEqualTo(2);
        assertThat(done.failed()).isEqualTo(1);
        assertThat(batch.requestLines()).hasSize(5).containsOnly(POLL);
        assertSeparateCalls(batch.requests().toArray(RecordedRequest[]::new));
    }

    @Test
    void theIntervalNeverGrowsBeyondMaxPoll() {
        Step twoRunning = counts(0, 2, 0, 0, 0);
        batch.then(twoRunning, twoRunning, twoRunning, twoRunning, twoRunning, twoRunning, counts(0, 0, 2, 2, 0));

        batch.client().tasks().waitForTasks("job-1", options(ms(1000), ms(3000), hours(1)));

        assertThat(batch.time.sleeps()).containsExactly(ms(1000), ms(1500), ms(2250), ms(3000), ms(3000), ms(3000));
        assertThat(progress).hasSize(7);
    }

    @Test
    void whileTasksCompleteTheWaitIsAQuarterOfTheTimeTheRestShouldTake() {
        batch.then(counts(10_000, 0, 0, 0, 0), counts(9_900, 0, 100, 100, 0), counts(7_000, 425, 2_575, 2_575, 0),
                counts(0, 0, 10_000, 9_999, 1));

        TaskCountsSnapshot done = batch.client().tasks().waitForTasks("job-1", options(ms(100), ms(5000), hours(1)));

        // 100 tasks in 100 ms: 9,900 left take 9.9 s, so 2.475 s; then 2,475 in 2.475 s: 7,425 left, 1.85625 s.
        assertThat(batch.time.sleeps()).containsExactly(ms(100), ms(2475), Duration.ofNanos(1_856_250_000));
        assertThat(done.completed()).isEqualTo(10_000);
        assertThat(batch.requestLines()).hasSize(4).containsOnly(POLL);
    }

    @Test
    void theWaitWhileTasksCompleteStaysWithinTheFirstAndTheLongest() {
        batch.then(counts(100_000, 0, 0, 0, 0), counts(99_900, 0, 100, 100, 0), counts(400, 100, 99_500, 99_500, 0),
                counts(0, 0, 100_000, 100_000, 0));

        batch.client().tasks().waitForTasks("job-1", options(ms(100), ms(1000), hours(1)));

        // 99.9 s left would be 25 s: the longest wait instead; then 500 tasks at 99,400 a second: the first wait.
        assertThat(batch.time.sleeps()).containsExactly(ms(100), ms(1000), ms(100));
    }

    @Test
    void throwsWaitTimeoutAtTheDeadlineWithTheLastCounts() {
        batch.endpoint.otherwise(request -> counts(1, 1, 5, 5, 0));

        assertThatThrownBy(() -> batch.client().tasks().waitForTasks("job-1", options(ms(100), ms(400), ms(1000))))
                .isInstanceOfSatisfying(WaitTimeoutException.class, timeout -> {
                    assertThat(timeout.last().elapsed()).isEqualTo(ms(1000));
                    assertThat(timeout.last().active()).isEqualTo(1);
                    assertThat(timeout.last().running()).isEqualTo(1);
                    assertThat(timeout.last().completed()).isEqualTo(5);
                    assertThat(timeout.getMessage()).contains("job-1", "1 active, 1 running, 5 completed");
                });
        // 100, 150, 225, then 337.5 ms; the next 400 ms would pass the deadline, so the last wait ends on it.
        assertThat(batch.time.sleeps()).containsExactly(ms(100), ms(150), ms(225), Duration.ofNanos(337_500_000),
                Duration.ofNanos(187_500_000));
        assertThat(batch.time.elapsed()).isEqualTo(ms(1000));
        assertThat(batch.requestLines()).hasSize(6).containsOnly(POLL);
        assertThat(progress).hasSize(6);
    }

    @Test
    void aFailedPollIsRetriedByTheHandlerOnTheSameClock() {
        batch.then(counts(1, 0, 0, 0, 0),
                Step.error(500, "InternalError", "Server encountered an internal error."),
                counts(0, 0, 1, 1, 0));

        TaskCountsSnapshot done = batch.client().tasks().waitForTasks("job-1", options(ms(100), ms(5000), hours(1)));

        assertThat(done.allCompleted()).isTrue();
        assertThat(batch.retries()).singleElement()
                .satisfies(retry -> assertThat(retry.outcome().category()).isEqualTo(Category.SERVER));
        List<Duration> expected = new ArrayList<>();
        expected.add(ms(100));
        expected.add(batch.retries().get(0).delay());
        assertThat(batch.time.sleeps()).containsExactlyElementsOf(expected);
        FakeBatch.assertOneCall(batch.requests().subList(1, 3));
    }

    private WaitOptions options(Duration firstPoll, Duration maxPoll, Duration deadline) {
        return WaitOptions.DEFAULTS.withPolling(firstPoll, maxPoll).withDeadline(deadline).withProgress(progress::add);
    }

    private static Step counts(int active, int running, int completed, int succeeded, int failed) {
        return Step.ok(200, BatchBodies.taskCounts(active, running, completed, succeeded, failed));
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static Duration hours(long hours) {
        return Duration.ofHours(hours);
    }
}
