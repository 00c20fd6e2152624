package dev.rebatch.retry.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RetryBudgetTest {

    @Test
    void standardIsTheAwsQuota() {
        RetryBudget budget = RetryBudget.standard();

        assertThat(budget.capacity()).isEqualTo(500);
        assertThat(budget.available()).isEqualTo(500);
        assertThat(budget.costOfRetry(false)).isEqualTo(5);
        assertThat(budget.costOfRetry(true)).isEqualTo(10);
        assertThat(RetryBudget.DEFAULT_CAPACITY).isEqualTo(500);
        assertThat(RetryBudget.DEFAULT_RETRY_COST).isEqualTo(5);
        assertThat(RetryBudget.DEFAULT_TIMEOUT_COST).isEqualTo(10);
        assertThat(RetryBudget.DEFAULT_SUCCESS_REFUND).isEqualTo(1);
        // Each call gives a fresh bucket: clients never share tokens by accident.
        assertThat(RetryBudget.standard()).isNotSameAs(budget);
    }

    @Test
    void retriesDrainByTheirCostUntilTooFewTokensRemain() {
        RetryBudget budget = RetryBudget.standard();
        int cost = budget.costOfRetry(false);

        for (int i = 1; i <= 100; i++) {
            assertThat(budget.tryAcquire(cost)).as("retry %d", i).isTrue();
            assertThat(budget.available()).isEqualTo(500 - 5 * i);
        }
        assertThat(budget.tryAcquire(cost)).isFalse();
        assertThat(budget.available()).isZero();
    }

    @Test
    void aRefusedAcquireTakesNothing() {
        RetryBudget budget = RetryBudget.standard();
        assertThat(budget.tryAcquire(497)).isTrue();
        assertThat(budget.available()).isEqualTo(3);

        assertThat(budget.tryAcquire(5)).isFalse();
        assertThat(budget.available()).isEqualTo(3);
        assertThat(budget.tryAcquire(4)).isFalse();
        assertThat(budget.available()).isEqualTo(3);

        // Exactly the remaining tokens can still be taken.
        assertThat(budget.tryAcquire(3)).isTrue();
        assertThat(budget.available()).isZero();
        assertThat(budget.tryAcquire(1)).isFalse();
        assertThat(budget.available()).isZero();
    }

    @Test
    void aRetryAfterATimeoutCostsTen() {
        RetryBudget budget = RetryBudget.standard();

        assertThat(budget.tryAcquire(budget.costOfRetry(true))).isTrue();
        assertThat(budget.available()).isEqualTo(490);
        assertThat(budget.tryAcquire(485)).isTrue();
        // 5 left: enough for an ordinary retry but not for one after a timeout.
        assertThat(budget.tryAcquire(budget.costOfRetry(true))).isFalse();
        assertThat(budget.available()).isEqualTo(5);
        assertThat(budget.tryAcquire(budget.costOfRetry(false))).isTrue();
        assertThat(budget.available()).isZero();
    }

    @Test
    void aCostOfZeroIsAlwaysGranted() {
        RetryBudget budget = new RetryBudget(10, 0, 0, 1);
        assertThat(budget.tryAcquire(10)).isTrue();

        assertThat(budget.tryAcquire(0)).isTrue();
        assertThat(budget.available()).isZero();
    }

    @Test
    void aFirstAttemptSuccessRefundsOneUpToCapacity() {
        RetryBudget budget = RetryBudget.standard();
        assertThat(budget.tryAcquire(5)).isTrue();

        budget.onSuccess(0);
        assertThat(budget.available()).isEqualTo(496);
        for (int i = 0; i < 4; i++) {
            budget.onSuccess(0);
        }
        assertThat(budget.available()).isEqualTo(500);
        for (int i = 0; i < 10; i++) {
            budget.onSuccess(0);
        }
        assertThat(budget.available()).isEqualTo(500);
    }

    @Test
    void aSuccessAfterRetriesRefundsWhatTheLastRetryTook() {
        RetryBudget budget = RetryBudget.standard();
        assertThat(budget.tryAcquire(5)).isTrue();
        assertThat(budget.tryAcquire(10)).isTrue();
        assertThat(budget.available()).isEqualTo(485);

        budget.onSuccess(10);
        assertThat(budget.available()).isEqualTo(495);
        budget.onSuccess(5);
        assertThat(budget.available()).isEqualTo(500);
    }

    @Test
    void aRefundNeverLiftsTheBucketAboveCapacity() {
        RetryBudget budget = RetryBudget.standard();
        assertThat(budget.tryAcquire(3)).isTrue();

        budget.onSuccess(10);
        assertThat(budget.available()).isEqualTo(500);
        budget.onSuccess(10);
        assertThat(budget.available()).isEqualTo(500);
    }

    @Test
    void aRefundNearIntegerMaxValueDoesNotOverflow() {
        // A "counted but practically unlimited" budget: refunds must clamp at capacity, not wrap around to negative.
        RetryBudget budget = new RetryBudget(Integer.MAX_VALUE, 5, 10, 1);
        assertThat(budget.tryAcquire(5)).isTrue();
        for (int i = 0; i < 4; i++) {
            budget.onSuccess(0);
        }
        assertThat(budget.available()).isEqualTo(Integer.MAX_VALUE - 1);

        budget.onSuccess(5);

        assertThat(budget.available()).isEqualTo(Integer.MAX_VALUE);
        assertThat(budget.tryAcquire(5)).isTrue();
    }

    @Test
    void unlimitedNeverRefuses() {
        RetryBudget budget = RetryBudget.unlimited();

        for (int i = 0; i < 10_000; i++) {
            assertThat(budget.tryAcquire(budget.costOfRetry(i % 2 == 0))).isTrue();
        }
        assertThat(budget.tryAcquire(Integer.MAX_VALUE)).isTrue();
        assertThat(budget.tryAcquire(Integer.MAX_VALUE)).isTrue();
        budget.onSuccess(0);
        budget.onSuccess(10);
        assertThat(budget.available()).isEqualTo(Integer.MAX_VALUE);
        assertThat(RetryBudget.unlimited()).isSameAs(budget);
        assertThat(budget).hasToString("RetryBudget[unlimited]");
    }

    @Test
    void invalidSettingsAreRejectedWithTheirValues() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryBudget(0, 5, 10, 1))
                .withMessageContaining("capacity=0");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryBudget(500, -1, 10, 1))
                .withMessageContaining("retryCost=-1");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryBudget(500, 5, -10, 1))
                .withMessageContaining("timeoutCost=-10");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryBudget(500, 5, 10, -1))
                .withMessageContaining("successRefund=-1");
    }

    @Test
    void toStringShowsTheTokensAndSettings() {
        RetryBudget budget = RetryBudget.standard();
        budget.tryAcquire(5);

        assertThat(budget).hasToString("RetryBudget[495/500, retryCost=5, timeoutCost=10, successRefund=1]");
    }

    /**
     * 8 threads each make 10 000 random acquires and refunds on one budget. The bucket starts drained to
     * {@link #START} tokens and the capacity is far above anything the refunds can add, so the capacity clamp never
     * applies and the final count must equal exactly start - granted acquires + refunds: a lost update or a
     * double-counted acquire would show. Refusals do happen (the count wanders near zero), so the refuse path is
     * raced too. Every thread checks after every operation that it never sees a negative count.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentAcquiresAndRefundsLoseNothing() throws Exception {
        int threads = 8;
        int operationsPerThread = 10_000;
        int capacity = 10_000_000;
        // Largest possible refunds: 80 000 operations x 10 tokens = 800 000, far below capacity - START.
        RetryBudget budget = new RetryBudget(capacity, 5, 10, 1);
        assertThat(budget.tryAcquire(capacity - START)).isTrue();
        assertThat(budget.available()).isEqualTo(START);

        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 1000 + t;
                results.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    long acquired = 0;
                    long refunded = 0;
                    long refusals = 0;
                    int lowest = Integer.MAX_VALUE;
                    ready.countDown();
                    start.await();
                    for (int i = 0; i < operationsPerThread; i++) {
                        // Slightly more acquiring than refunding, so the count drifts down to zero and refusals race too.
                        if (random.nextInt(100) < 55) {
                            int cost = 1 + random.nextInt(10);
                            if (budget.tryAcquire(cost)) {
                                acquired += cost;
                            } else {
                                refusals++;
                            }
                        } else if (random.nextBoolean()) {
                            budget.onSuccess(0); // refunds successRefund = 1
                            refunded += 1;
                        } else {
                            int cost = 1 + random.nextInt(10);
                            budget.onSuccess(cost);
                            refunded += cost;
                        }
                        lowest = Math.min(lowest, budget.available());
                    }
                    return new long[] {acquired, refunded, refusals, lowest};
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            start.countDown();

            long acquired = 0;
            long refunded = 0;
            long refusals = 0;
            long lowest = Long.MAX_VALUE;
            for (Future<long[]> result : results) {
                long[] r = result.get(60, TimeUnit.SECONDS);
                acquired += r[0];
                refunded += r[1];
                refusals += r[2];
                lowest = Math.min(lowest, r[3]);
            }

            assertThat(lowest).as("lowest count any thread observed").isGreaterThanOrEqualTo(0);
            assertThat(START + refunded).as("the clamp must never apply").isLessThan(capacity);
            assertThat((long) budget.available()).isEqualTo(START - acquired + refunded);
            assertThat(acquired).isPositive();
            assertThat(refunded).isPositive();
            System.out.printf("RetryBudget race: acquired %d, refunded %d, refused %d, lowest seen %d, final %d%n",
                    acquired, refunded, refusals, lowest, budget.available());
        } finally {
            pool.shutdownNow();
        }
    }

    private static final int START = 200;
}
