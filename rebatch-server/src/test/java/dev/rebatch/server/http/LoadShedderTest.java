package dev.rebatch.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.model.BatchErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadShedderTest {

    private static void assertServerBusy(Throwable thrown) {
        assertThat(thrown).isInstanceOfSatisfying(BatchException.class, refused -> {
            assertThat(refused.code()).isEqualTo(BatchErrorCode.ServerBusy);
            assertThat(refused.code().httpStatus()).isEqualTo(503);
            assertThat(refused.headers()).containsEntry("Retry-After", "1");
        });
    }

    @Test
    void admitsUpToTheLimitThenRefusesAtOnce() {
        LoadShedder shedder = new LoadShedder(2);
        LoadShedder.Permit first = shedder.admit();
        LoadShedder.Permit second = shedder.admit();
        assertThat(shedder.inFlight()).isEqualTo(2);
        assertThatThrownBy(shedder::admit).satisfies(LoadShedderTest::assertServerBusy);
        assertThat(shedder.inFlight()).isEqualTo(2); // a refusal takes no slot

        first.release();
        assertThat(shedder.inFlight()).isEqualTo(1);
        shedder.admit();
        assertThat(shedder.inFlight()).isEqualTo(2);
        second.release();
    }

    @Test
    void aPermitIsReleasedOnlyOnce() {
        LoadShedder shedder = new LoadShedder(3);
        LoadShedder.Permit kept = shedder.admit();
        try (LoadShedder.Permit permit = shedder.admit()) {
            permit.release();
            permit.release();
            assertThat(shedder.inFlight()).isEqualTo(1);
        } // close() after release(): still once
        assertThat(shedder.inFlight()).isEqualTo(1);
        kept.close();
        assertThat(shedder.inFlight()).isZero();
    }

    @Test
    void anOverloadedDependencyRefusesEvenWithRoomToSpare() {
        AtomicBoolean saturated = new AtomicBoolean(true);
        LoadShedder shedder = new LoadShedder(10, saturated::get);
        assertThatThrownBy(shedder::admit).satisfies(LoadShedderTest::assertServerBusy);
        assertThat(shedder.inFlight()).isZero();
        saturated.set(false);
        shedder.admit();
        assertThat(shedder.inFlight()).isEqualTo(1);
    }

    @Test
    void theLimitIsValidated() {
        assertThatThrownBy(() -> new LoadShedder(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LoadShedder(LoadShedder.DEFAULT_MAX_IN_FLIGHT).maxInFlight()).isEqualTo(256);
    }

    /**
     * Rounds of 16 threads arriving at once, each admitted one holding its permit until every thread of the round has
     * tried: exactly the limit is admitted each round, the rest refused, and nothing is left in flight at the end.
     */
    @Test
    void inFlightAccountingHoldsUnderConcurrency() throws Exception {
        int limit = 4;
        int threads = 16;
        LoadShedder shedder = new LoadShedder(limit);
        for (int round = 0; round < 50; round++) {
            CountDownLatch attempted = new CountDownLatch(threads);
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            runConcurrently(threads, 1, () -> {
                LoadShedder.Permit permit;
                try {
                    permit = shedder.admit();
                } catch (BatchException busy) {
                    refused.incrementAndGet();
                    attempted.countDown();
                    return;
                }
                try {
                    admitted.incrementAndGet();
                    attempted.countDown();
                    attempted.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    permit.release();
                }
            });
            assertThat(admitted.get()).as("round %s", round).isEqualTo(limit);
            assertThat(refused.get()).isEqualTo(threads - limit);
            assertThat(shedder.inFlight()).isZero();
        }
    }

    @Test
    void concurrentDoubleReleasesCountOnce() throws Exception {
        LoadShedder shedder = new LoadShedder(1_000_000);
        runConcurrently(8, 2_000, () -> {
            LoadShedder.Permit permit = shedder.admit();
            // Two releases racing, as an after-handler and a finally block might.
            Thread other = Thread.ofVirtual().start(permit::release);
            permit.release();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(shedder.inFlight()).isZero();
    }

    private static void runConcurrently(int threads, int iterationsEach, Runnable body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < iterationsEach; i++) {
                        body.run();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get();
            }
        }
    }
}
