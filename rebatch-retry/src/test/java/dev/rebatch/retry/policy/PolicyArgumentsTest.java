package dev.rebatch.retry.policy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.rebatch.retry.classify.Category;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Invalid policy arguments fail at construction with a message that names the argument and its value. */
class PolicyArgumentsTest {

    @Test
    void exponentialRejectsAZeroOrNegativeDelta() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.exponentialRetry(Duration.ZERO, 3))
                .withMessageContaining("deltaBackoff")
                .withMessageContaining("must be positive")
                .withMessageContaining("PT0S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.exponentialRetry(Duration.ofMillis(-5), 3))
                .withMessageContaining("deltaBackoff must be positive, was PT-0.005S");
    }

    @Test
    void exponentialRejectsAZeroOrNegativeCap() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.exponentialRetry(Duration.ofSeconds(1), 3, Duration.ZERO))
                .withMessageContaining("maxBackoff must be positive");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.defaultPolicy().withMaxBackoff(Duration.ofSeconds(-1)))
                .withMessageContaining("maxBackoff must be positive, was PT-1S");
    }

    @Test
    void exponentialRejectsNegativeRetriesAndPointsToNoRetry() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.exponentialRetry(Duration.ofSeconds(1), -1))
                .withMessageContaining("maxRetries must be 0 or more, was -1")
                .withMessageContaining("RetryPolicyProvider.noRetry()");
    }

    @Test
    void exponentialRejectsRetryingOnSuccess() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.defaultPolicy()
                        .retryingOn(EnumSet.of(Category.SERVER, Category.SUCCESS)))
                .withMessageContaining("SUCCESS is never retried");
    }

    @Test
    void linearRejectsTheSameMistakes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.linearRetry(Duration.ZERO, 3))
                .withMessageContaining("delta must be positive, was PT0S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.linearRetry(Duration.ofSeconds(-2), 3))
                .withMessageContaining("delta must be positive, was PT-2S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.linearRetry(Duration.ofSeconds(1), -3))
                .withMessageContaining("maxRetries must be 0 or more, was -3")
                .withMessageContaining("noRetry()");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryPolicyProvider.linearRetry(Duration.ofSeconds(1), 3)
                        .retryingOn(Set.of(Category.SUCCESS)))
                .withMessageContaining("SUCCESS is never retried");
    }

    @Test
    void nullsAreRejectedByName() {
        assertThatNullPointerException()
                .isThrownBy(() -> RetryPolicyProvider.exponentialRetry(null, 3))
                .withMessage("deltaBackoff");
        assertThatNullPointerException()
                .isThrownBy(() -> RetryPolicyProvider.defaultPolicy().withJitter(null))
                .withMessage("jitter");
        assertThatNullPointerException()
                .isThrownBy(() -> RetryPolicyProvider.linearRetry(null, 3))
                .withMessage("delta");
    }

    @Test
    void theBoundariesAreAccepted() {
        assertThatCode(() -> RetryPolicyProvider.exponentialRetry(Duration.ofNanos(1), 0, Duration.ofNanos(1)))
                .doesNotThrowAnyException();
        assertThatCode(() -> RetryPolicyProvider.linearRetry(Duration.ofNanos(1), 0)).doesNotThrowAnyException();
        assertThatCode(() -> RetryPolicyProvider.defaultPolicy().retryingOn(Set.of())).doesNotThrowAnyException();
    }

    @Test
    void theRetriedCategoriesAreCopiedNotShared() {
        EnumSet<Category> categories = EnumSet.of(Category.SERVER);
        ExponentialRetry policy = RetryPolicyProvider.defaultPolicy().retryingOn(categories);
        categories.add(Category.CLIENT);

        org.assertj.core.api.Assertions.assertThat(policy.retryOn()).containsExactly(Category.SERVER);
    }
}
