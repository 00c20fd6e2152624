package dev.rebatch.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.retry.classify.Category;
import dev.rebatch.retry.policy.Jitter;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.retry.time.VirtualTimeSource;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncRetryTest {

    private final VirtualTimeSource time = new VirtualTimeSource();
    private final List<AttemptEvent> events = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();
    private final List<String> operationIds = new CopyOnWriteArrayList<>();

    private final RetryHandler handler = RetryHandler.builder()
            .timeSource(time)
            .random(() -> new SplittableRandom(7))
            .policy(RetryPolicyProvider.exponentialRetry(Duration.ofSeconds(1), 3).withJitter(Jitter.NONE))
            .attemptTimeout(Duration.ofSeconds(10))
            .listener(events::add)
            .build();

    /** Each attempt returns a future the test completes by hand. */
    private final AsyncOperation<String> manual = attempt -> {
        operationIds.add(attempt.operationId());
        CompletableFuture<String> future = new CompletableFuture<>();
        attempts.add(future);
        return future;
    };

    @Test
    void retriesWithoutBlockingAndCompletesWithTheFirstSuccess() throws Exception {
        CompletableFuture<String> result = handler.executeAsync(manual);

        attempts.get(0).completeExceptionally(FakeResponse.internalError());
        assertThat(attempts).hasSize(1);
        assertThat(time.pendingTasks()).as("the retry waits on the timer, not a thread").isEqualTo(1);

        time.advance(Duration.ofMillis(999));
        assertThat(attempts).hasSize(1);
        time.advance(Duration.ofMillis(1));
        assertThat(attempts).hasSize(2);

        attempts.get(1).complete("done");
        assertThat(result.get()).isEqualTo("done");
        assertThat(operationIds).hasSize(2).containsOnly(operationIds.get(0));
        assertThat(events).extracting(e -> e.outcome().category()).containsExactly(Category.SERVER, Category.SUCCESS);
        assertThat(time.sleeps()).as("nothing slept").isEmpty();
        assertThat(time.pendingTasks()).as("the attempt timeout was cancelled").isZero();
    }

    @Test
    void failsWithRetryFailedExceptionWhenNotRetryable() {
        CompletableFuture<String> result = handler.executeAsync(manual);

        attempts.get(0).completeExceptionally(new FakeResponse(409, "JobExists"));

        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(RetryFailedException.class, failure -> {
                    assertThat(failure.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
                    assertThat(failure.lastOutcome().errorCode()).isEqualTo("JobExists");
                });
    }

    @Test
    void anAttemptThatHangsPastItsTimeoutIsCancelledAndRetried() throws Exception {
        CompletableFuture<String> result = handler.executeAsync(manual);

        time.advance(Duration.ofSeconds(10));

        assertThat(attempts.get(0)).as("the hung attempt is cancelled").isCancelled();
        assertThat(events.get(0).outcome().category()).isEqualTo(Category.NETWORK_UNKNOWN);
        assertThat(events.get(0).outcome().timedOut()).isTrue();
        assertThat(events.get(0).outcome().failure()).isInstanceOf(AttemptTimeoutException.class);
        assertThat(handler.budget().available()).as("a timeout costs 10 tokens").isEqualTo(490);

        time.advance(Duration.ofSeconds(1));
        attempts.get(1).complete("second time lucky");
        assertThat(result.get()).isEqualTo("second time lucky");
    }

    @Test
    void cancellingDuringTheWaitStopsFurtherAttempts() {
        CompletableFuture<String> result = handler.executeAsync(manual);
        attempts.get(0).completeExceptionally(new ConnectException("refused"));
        assertThat(time.pendingTasks()).isEqualTo(1);

        assertThat(result.cancel(true)).isTrue();
        time.advance(Duration.ofMinutes(5));

        assertThat(attempts).as("no attempt after cancellation").hasSize(1);
        assertThat(time.pendingTasks()).isZero();
        assertThatThrownBy(result::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void cancellingDuringAnAttemptCancelsTheAttempt() {
        CompletableFuture<String> result = handler.executeAsync(manual);

        result.cancel(true);

        assertThat(attempts.get(0)).isCancelled();
        time.advance(Duration.ofMinutes(5));
        assertThat(attempts).hasSize(1);
        assertThat(events).as("a cancelled attempt is not retried").singleElement().satisfies(event -> {
            assertThat(event.stopReason()).isEqualTo(StopReason.CANCELLED);
            assertThat(event.outcome().failure()).isInstanceOf(CancellationException.class);
        });
    }

    @Test
    void anOperationThatThrowsInsteadOfReturningAStageIsRetriedToo() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AsyncOperation<String> throwingOnce = attempt -> {
            if (calls.incrementAndGet() == 1) {
                throw FakeResponse.internalError();
            }
            return CompletableFuture.completedFuture("ok");
        };

        CompletableFuture<String> result = handler.executeAsync(throwingOnce);
        time.runUntilIdle();

        assertThat(result.get()).isEqualTo("ok");
        assertThat(calls).hasValue(2);
    }

    @Test
    void theDeadlineEndsAnAsyncOperationWithoutAnotherAttempt() {
        CompletableFuture<String> result = handler.executeAsync(
                CallOptions.DEFAULTS.withDeadline(Duration.ofSeconds(5)), manual);

        time.advance(Duration.ofSeconds(5));

        assertThat(attempts).hasSize(1);
        assertThatThrownBy(result::join).cause().isInstanceOfSatisfying(RetryFailedException.class,
                failure -> assertThat(failure.stopReason()).isEqualTo(StopReason.DEADLINE_EXCEEDED));
    }
}
