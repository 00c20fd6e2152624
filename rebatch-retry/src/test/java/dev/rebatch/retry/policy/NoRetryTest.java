package dev.rebatch.retry.policy;

import static dev.rebatch.retry.policy.ExponentialRetryProperties.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NoRetryTest {

    @ParameterizedTest
    @EnumSource(Category.class)
    void neverRetries(Category category) {
        RetryPolicy policy = RetryPolicyProvider.noRetry();
        for (int n = 1; n <= 5; n++) {
            RetryDecision decision = policy.decide(context(n, category, new SplittableRandom(n)));

            assertThat(decision.retry()).isFalse();
            assertThat(decision.delay()).isEqualTo(Duration.ZERO);
            assertThat(decision.stopReason()).isEqualTo(ExponentialRetryProperties.RETRIED.contains(category)
                    ? StopReason.RETRIES_EXHAUSTED : StopReason.NOT_RETRYABLE);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Category.class, names = {"NETWORK_NOT_SENT", "NETWORK_UNKNOWN", "SERVER", "THROTTLED"})
    void aTransientFailureIsReportedAsRetriesExhausted(Category category) {
        assertThat(RetryPolicyProvider.noRetry().decide(context(1, category, new SplittableRandom(0))).stopReason())
                .isEqualTo(StopReason.RETRIES_EXHAUSTED);
    }

    @ParameterizedTest
    @EnumSource(value = Category.class, names = {"CONFLICT", "CLIENT", "SUCCESS"})
    void anythingElseIsNotRetryable(Category category) {
        assertThat(RetryPolicyProvider.noRetry().decide(context(1, category, new SplittableRandom(0))).stopReason())
                .isEqualTo(StopReason.NOT_RETRYABLE);
    }
}
