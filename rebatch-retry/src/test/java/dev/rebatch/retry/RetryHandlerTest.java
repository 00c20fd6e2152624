package dev.rebatch.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.retry.classify.Category;
import dev.rebatch.retry.policy.ExponentialRetry;
import dev.rebatch.retry.policy.Jitter;
import dev.rebatch.retry.policy.RetryDecision;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.retry.throttle.RetryBudget;
import dev.rebatch.retry.time.VirtualTimeSource;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RetryHandlerTest {

    private final VirtualTimeSource time = new VirtualTimeSource();
    private final List<AttemptEvent> events = new CopyOnWriteArrayList<>();

    /** Exponential 1 s x2 without jitter, so delays are exact: 1, 2, 4, 8, 16, 30 s. */
    private final ExponentialRetry exactPolicy = RetryPolicyProvider.exponentialRetry(Duration.ofSeconds(1), 6)
            .withJitter(Jitter.NONE);

    private RetryHandler.Builder handler() {
        return RetryHandler.builder()
                .timeSource(time)
                .random(() -> new SplittableRandom(42))
                .policy(exactPolicy)
                .listener(events::add);
    }

    @Test
    void firstAttemptSuccessReturnsAtOnceWithoutWaiting() {
        ScriptedOperation operation = new ScriptedOperation("ok");

        String result = handler().build().execute(operation);

        assertThat(result).isEqualTo("ok");
        assertThat(operation.seen()).singleElement().satisfies(seen -> {
            assertThat(seen.number()).isEqualTo(1);
            assertThat(seen.timeout()).contains(RetryHandler.DEFAULT_ATTEMPT_TIMEOUT);
        });
        assertThat(time.sleeps()).isEmpty();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.stopReason()).isEqualTo(StopReason.SUCCEEDED);
            assertThat(event.outcome().category()).isEqualTo(Category.SUCCESS);
            assertThat(event.operationId()).isEqualTo(operation.seen().get(0).operationId());
        });
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUnderOneOperationId() {
        ScriptedOperation operation = new ScriptedOperation("ok",
                FakeResponse.internalError(), new ConnectException("refused"), new SocketTimeoutException("read"));

        String result = handler().build().execute(operation);

        assertThat(result).isEqualTo("ok");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(operation.seen()).extracting(ScriptedOperation.Seen::number).containsExactly(1, 2, 3, 4);
        assertThat(operation.seen()).extracting(ScriptedOperation.Seen::operationId).containsOnly(
                operation.seen().get(0).operationId());
        assertThat(events).extracting(e -> e.outcome().category()).containsExactly(
                Category.SERVER, Category.NETWORK_NOT_SENT, Category.NETWORK_UNKNOWN, Category.SUCCESS);
        assertThat(events.subList(0, 3)).allSatisfy(e -> assertThat(e.delayReason()).isEqualTo(DelayReason.BACKOFF));
    }

    @Test
    void clientErrorsAndConflictsAreNotRetried() {
        for (FakeResponse refusal : List.of(new FakeResponse(404, "JobNotFound"), new FakeResponse(409, "JobExists"),
                new FakeResponse(400, "InvalidPropertyValue"), new FakeResponse(501, "NotImplemented"))) {
            ScriptedOperation operation = new ScriptedOperation("never", refusal);

            assertThatThrownBy(() -> handler().build().execute(operation))
                    .isInstanceOfSatisfying(RetryFailedException.class, failure -> {
                        assertThat(failure.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
                        assertThat(failure.getCause()).isSameAs(refusal);
                        assertThat(failure.attempts()).hasSize(1);
                    });
            assertThat(operation.seen()).hasSize(1);
        }
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void givesUpAfterMaxRetriesWithEveryAttemptRecorded() {
        Exception[] failures = new Exception[10];
        for (int i = 0; i < failures.length; i++) {
            failures[i] = FakeResponse.internalError();
        }
        ScriptedOperation operation = new ScriptedOperation("never", failures);

        assertThatThrownBy(() -> handler().build().execute(operation))
                .isInstanceOfSatisfying(RetryFailedException.class, failure -> {
                    assertThat(failure.stopReason()).isEqualTo(StopReason.RETRIES_EXHAUSTED);
                    assertThat(failure.attempts()).hasSize(7);
                    assertThat(failure.attempts()).extracting(AttemptEvent::attempt)
                            .containsExactly(1, 2, 3, 4, 5, 6, 7);
                    assertThat(failure.getMessage()).contains("gave up after 7 attempts", "RETRIES_EXHAUSTED",
                            "500 InternalError");
                });
        assertThat(time.sleeps()).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L);
    }

    @Test
    void retryAfterSecondsIsNeverUndercutAndGetsAnUpwardJitter() {
        ScriptedOperation operation = new ScriptedOperation("ok", FakeResponse.tooManyRequests("10"));

        handler().build().execute(operation);

        Duration wait = time.sleeps().get(0);
        assertThat(wait).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
        assertThat(events.get(0).delayReason()).isEqualTo(DelayReason.SERVER_HINT);
        assertThat(events.get(0).outcome().serverHint()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void retryAfterHttpDateIsMeasuredFromTheWallClock() {
        String inTwentySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                time.now().plusSeconds(20).atOffset(ZoneOffset.UTC));
        ScriptedOperation operation = new ScriptedOperation("ok", FakeResponse.serverBusy(inTwentySeconds));

        handler().build().execute(operation);

        assertThat(time.sleeps().get(0)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(24));
    }

    @Test
    void millisecondHintsAreHonoured() {
        ScriptedOperation operation = new ScriptedOperation("ok",
                new FakeResponse(503, "ServerBusy").withHeader("x-ms-retry-after-ms", "2500")
                        .withHeader("Retry-After", "1"));

        handler().build().execute(operation);

        // 2.5 s from x-ms-retry-after-ms (which wins over Retry-After), plus at most a fifth of it.
        assertThat(time.sleeps().get(0)).isBetween(Duration.ofMillis(2500), Duration.ofMillis(3000));
    }

    @Test
    void aHintShorterThanTheBackoffDoesNotShortenIt() {
        ScriptedOperation operation = new ScriptedOperation("ok",
                FakeResponse.internalError(), FakeResponse.internalError(), FakeResponse.internalError(),
                new FakeResponse(503, "ServerBusy").withHeader("retry-after-ms", "10"));

        handler().build().execute(operation);

        assertThat(time.sleeps()).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L);
        assertThat(events.get(3).delayReason()).isEqualTo(DelayReason.BACKOFF);
    }

    @Test
    void aHintBeyondTheDeadlineStopsAtOnceAndCarriesTheHint() {
        ScriptedOperation operation = new ScriptedOperation("never", FakeResponse.tooManyRequests("120"));
        RetryHandler retryHandler = handler().deadline(Duration.ofSeconds(30)).build();

        assertThatThrownBy(() -> retryHandler.execute(operation))
                .isInstanceOfSatisfying(RetryFailedException.class, failure -> {
                    assertThat(failure.stopReason()).isEqualTo(StopReason.SERVER_HINT_BEYOND_DEADLINE);
                    assertThat(failure.serverHint()).isEqualTo(Duration.ofSeconds(120));
                });
        assertThat(time.sleeps()).isEmpty();
        assertThat(retryHandler.budget().available()).isEqualTo(RetryBudget.DEFAULT_CAPACITY);
    }

    @Test
    void aHintLongerThanTheHandlerAcceptsStops() {
        ScriptedOperation operation = new ScriptedOperation("never", FakeResponse.tooManyRequests("3600"));

        assertThatThrownBy(() -> handler().maxServerHint(Duration.ofMinutes(5)).build().execute(operation))
                .isInstanceOfSatisfying(RetryFailedException.class, failure ->
                        assertThat(failure.stopReason()).isEqualTo(StopReason.SERVER_HINT_TOO_LONG));
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void backoffIsClippedToLeaveTheLastAttemptItsMinimumTime() {
        ScriptedOperation operation = new ScriptedOperation("never",
                FakeResponse.internalError(), FakeResponse.internalError(), FakeResponse.internalError(),
                FakeResponse.internalError(), FakeResponse.internalError());
        RetryHandler retryHandler = handler()
                .policy(RetryPolicyProvider.linearRetry(Duration.ofSeconds(8), 6).withJitter(Jitter.NONE))
                .deadline(Duration.ofSeconds(10))
                .minAttemptTime(Duration.ofSeconds(1))
                .build();

        assertThatThrownBy(() -> retryHandler.execute(operation))
                .isInstanceOfSatisfying(RetryFailedException.class, failure ->
                        assertThat(failure.stopReason()).isEqualTo(StopReason.DEADLINE_EXCEEDED));
        // 8 s backoff; then only 2 s remain, so the wait is cut to 1 s to leave the attempt its 1 s; then stop.
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(8), Duration.ofSeconds(1));
        assertThat(events).extracting(AttemptEvent::delayReason)
                .containsExactly(DelayReason.BACKOFF, DelayReason.DEADLINE, null);
        assertThat(operation.seen()).extracting(seen -> seen.timeout().orElseThrow())
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void noAttemptStartsAfterTheDeadline() {
        // Each attempt takes 4 s of (virtual) time before failing; the deadline is 10 s.
        Operation<String> slowFailure = attempt -> {
            time.advance(Duration.ofSeconds(4));
            throw FakeResponse.internalError();
        };
        RetryHandler retryHandler = handler()
                .policy(RetryPolicyProvider.linearRetry(Duration.ofMillis(500), 6).withJitter(Jitter.NONE))
                .deadline(Duration.ofSeconds(10))
                .build();

        assertThatThrownBy(() -> retryHandler.execute(slowFailure))
                .isInstanceOfSatisfying(RetryFailedException.class, failure ->
                        assertThat(failure.stopReason()).isEqualTo(StopReason.DEADLINE_EXCEEDED));
        // Attempts start at 0, 4.5 and 9 s; the third would have 1 s, the minimum, so it starts; none after 10 s.
        assertThat(events.stream().filter(AttemptEvent::willRetry).count()).isEqualTo(2);
        assertThat(time.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(13));
    }

    @Test
    void perCallOptionsOverrideTheHandlersDefaults() {
        RetryHandler retryHandler = handler().build();
        ScriptedOperation operation = new ScriptedOperation("ok", FakeResponse.internalError());
        CallOptions options = CallOptions.DEFAULTS
                .withPolicy(RetryPolicyProvider.noRetry())
                .withAttemptTimeout(Duration.ofSeconds(180))
                .withOperationId("5f0f6b7e-33d4-4c43-9d1c-0c2a9a0f7c11");

        assertThatThrownBy(() -> retryHandler.execute(options, operation))
                .isInstanceOfSatisfying(RetryFailedException.class, failure -> {
                    assertThat(failure.stopReason()).isEqualTo(StopReason.RETRIES_EXHAUSTED);
                    assertThat(failure.operationId()).isEqualTo("5f0f6b7e-33d4-4c43-9d1c-0c2a9a0f7c11");
                });
        assertThat(operation.seen()).singleElement().satisfies(seen -> {
            assertThat(seen.operationId()).isEqualTo("5f0f6b7e-33d4-4c43-9d1c-0c2a9a0f7c11");
            assertThat(seen.timeout()).contains(Duration.ofSeconds(180));
        });
    }

    @Test
    void aCustomPolicyDecidesFromAttemptAndOutcome() {
        // Retry only PoolBeingResized conflicts, every 5 s, at most twice.
        RetryHandler retryHandler = handler().policy(context ->
                "PoolBeingResized".equals(context.outcome().errorCode()) && context.attempts() <= 2
                        ? RetryDecision.retryAfter(Duration.ofSeconds(5))
                        : RetryDecision.stop(StopReason.NOT_RETRYABLE)).build();
        ScriptedOperation operation = new ScriptedOperation("resized",
                new FakeResponse(409, "PoolBeingResized"), new FakeResponse(409, "PoolBeingResized"));

        assertThat(retryHandler.execute(operation)).isEqualTo("resized");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void anEmptyBudgetStopsRetriesButNeverFirstAttempts() {
        RetryBudget budget = new RetryBudget(10, 5, 10, 1);
        RetryHandler retryHandler = handler().budget(budget).build();

        // Two retries take the whole budget (2 x 5); the third retry is refused.
        ScriptedOperation draining = new ScriptedOperation("never",
                FakeResponse.internalError(), FakeResponse.internalError(), FakeResponse.internalError());
        assertThatThrownBy(() -> retryHandler.execute(draining))
                .isInstanceOfSatisfying(RetryFailedException.class, failure -> {
                    assertThat(failure.stopReason()).isEqualTo(StopReason.RETRY_BUDGET_EXHAUSTED);
                    assertThat(failure.getCause()).isInstanceOf(FakeResponse.class);
                    assertThat(failure.getMessage()).contains("retry budget");
                });
        assertThat(budget.available()).isZero();

        // A new operation still gets its first attempt, and its success refunds a token.
        assertThat(retryHandler.execute(new ScriptedOperation("first"))).isEqualTo("first");
        assertThat(budget.available()).isEqualTo(1);
        assertThat(events.get(events.size() - 1).budgetAvailable()).isEqualTo(1);
    }

    @Test
    void aRetryAfterATimeoutCostsMoreAndASuccessfulRetryRefundsItsCost() {
        RetryBudget budget = RetryBudget.standard();
        RetryHandler retryHandler = handler().budget(budget).build();
        List<Integer> levels = new CopyOnWriteArrayList<>();
        RetryHandler observing = handler().budget(budget).listener(e -> levels.add(e.budgetAvailable())).build();

        observing.execute(new ScriptedOperation("ok", new SocketTimeoutException("read timed out")));
        assertThat(levels).containsExactly(490, 500);

        retryHandler.execute(new ScriptedOperation("ok", FakeResponse.internalError()));
        assertThat(budget.available()).isEqualTo(500);
    }

    @Test
    void anInterruptedWaitStopsAndKeepsTheInterruptFlag() {
        Operation<String> interruptingFailure = attempt -> {
            Thread.currentThread().interrupt();
            throw new IOException("connection reset");
        };
        try {
            assertThatThrownBy(() -> handler().build().execute(interruptingFailure))
                    .isInstanceOfSatisfying(RetryFailedException.class, failure ->
                            assertThat(failure.stopReason()).isEqualTo(StopReason.INTERRUPTED));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anOperationInterruptedInsideStopsAtOnceAndKeepsTheInterruptFlag() {
        ScriptedOperation interrupted = new ScriptedOperation("never", new InterruptedException("send interrupted"));
        try {
            assertThatThrownBy(() -> handler().build().execute(interrupted))
                    .isInstanceOfSatisfying(RetryFailedException.class, failure -> {
                        assertThat(failure.stopReason()).isEqualTo(StopReason.INTERRUPTED);
                        assertThat(failure.getCause()).isInstanceOf(InterruptedException.class);
                    });
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(interrupted.seen()).hasSize(1);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void errorsAreNotCaughtOrRetried() {
        Operation<String> broken = attempt -> {
            throw new StackOverflowError("bug");
        };

        assertThatThrownBy(() -> handler().build().execute(broken)).isInstanceOf(StackOverflowError.class);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotBreakTheOperation() {
        RetryHandler retryHandler = handler().listener(event -> {
            throw new IllegalStateException("listener bug");
        }).build();

        assertThat(retryHandler.execute(new ScriptedOperation("ok", FakeResponse.internalError()))).isEqualTo("ok");
    }

    @Test
    void operationIdsAreFreshGuidsPerOperation() {
        ScriptedOperation first = new ScriptedOperation("a");
        ScriptedOperation second = new ScriptedOperation("b");
        RetryHandler retryHandler = handler().build();

        retryHandler.execute(first);
        retryHandler.execute(second);

        String firstId = first.seen().get(0).operationId();
        assertThat(firstId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(second.seen().get(0).operationId()).isNotEqualTo(firstId);
    }
}
