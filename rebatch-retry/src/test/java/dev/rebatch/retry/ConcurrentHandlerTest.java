package dev.rebatch.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.retry.throttle.RetryBudget;
import dev.rebatch.retry.time.VirtualTimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads share one handler, as every thread of an application shares its client's handler. */
class ConcurrentHandlerTest {

    private static final int THREADS = 8;
    private static final int OPERATIONS_PER_THREAD = 250;

    @Test
    void operationsOnManyThreadsKeepTheirOwnIdsResultsAndAttemptCounts() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        AtomicInteger events = new AtomicInteger();
        AtomicInteger lowestBudget = new AtomicInteger(Integer.MAX_VALUE);
        // Half-full, so that refunds never meet the capacity clamp and the final level is exact.
        RetryBudget budget = new RetryBudget(100_000, 5, 10, 1);
        assertThat(budget.tryAcquire(50_000)).isTrue();
        AtomicInteger expectedBudgetChange = new AtomicInteger();
        RetryHandler handler = RetryHandler.builder()
                .timeSource(time)
                .budget(budget)
                .listener(event -> {
                    events.incrementAndGet();
                    lowestBudget.accumulateAndGet(event.budgetAvailable(), Math::min);
                })
                .build();
        Map<String, Set<Integer>> attemptsById = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> expectedAttempts = new ArrayList<>();

        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            expectedAttempts.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(thread);
                start.await();
                int attemptsMade = 0;
                for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
                    int failuresBeforeSuccess = random.nextInt(4); // 0..3, within the default 6 retries
                    String expected = thread + "/" + i;
                    AtomicInteger calls = new AtomicInteger();
                    String result = handler.execute(attempt -> {
                        attemptsById.computeIfAbsent(attempt.operationId(), id -> ConcurrentHashMap.newKeySet())
                                .add(attempt.number());
                        if (calls.getAndIncrement() < failuresBeforeSuccess) {
                            throw FakeResponse.internalError();
                        }
                        return expected;
                    });
                    assertThat(result).isEqualTo(expected);
                    assertThat(calls).hasValue(failuresBeforeSuccess + 1);
                    attemptsMade += failuresBeforeSuccess + 1;
                    // f retries cost 5 each; the success refunds the last one's 5, or 1 when there was no retry.
                    expectedBudgetChange.addAndGet(
                            failuresBeforeSuccess == 0 ? 1 : -5 * (failuresBeforeSuccess - 1));
                }
                return attemptsMade;
            }));
        }
        start.countDown();
        int totalAttempts = 0;
        for (Future<Integer> future : expectedAttempts) {
            totalAttempts += future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(attemptsById).as("one distinct id per operation").hasSize(THREADS * OPERATIONS_PER_THREAD);
        assertThat(attemptsById.values()).allSatisfy(numbers ->
                assertThat(numbers).containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, numbers.size()).boxed().toList()));
        assertThat(events).as("the listener saw every attempt").hasValue(totalAttempts);
        assertThat(lowestBudget.get()).isPositive();
        assertThat(budget.available()).as("no token lost or double-counted under contention")
                .isEqualTo(50_000 + expectedBudgetChange.get());
    }
}
