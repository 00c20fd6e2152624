package dev.rebatch.retry.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.rebatch.retry.StopReason;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RetryDecisionTest {

    @Property
    void retryAfterKeepsTheDelayAndNamesNoStopReason(@ForAll @LongRange(min = 0) long nanos) {
        RetryDecision decision = RetryDecision.retryAfter(Duration.ofNanos(nanos));

        assertThat(decision.retry()).isTrue();
        assertThat(decision.delay()).isEqualTo(Duration.ofNanos(nanos));
        assertThat(decision.stopReason()).isNull();
    }

    @ParameterizedTest
    @EnumSource(StopReason.class)
    void stopHasAZeroDelayAndTheReason(StopReason reason) {
        RetryDecision decision = RetryDecision.stop(reason);

        assertThat(decision.retry()).isFalse();
        assertThat(decision.delay()).isEqualTo(Duration.ZERO);
        assertThat(decision.stopReason()).isEqualTo(reason);
    }

    @Test
    void aZeroDelayRetryIsAllowed() {
        assertThat(RetryDecision.retryAfter(Duration.ZERO).retry()).isTrue();
    }

    @Test
    void aNegativeDelayIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryDecision.retryAfter(Duration.ofNanos(-1)))
                .withMessageContaining("delay must not be negative");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryDecision(false, Duration.ofSeconds(-1), StopReason.NOT_RETRYABLE));
    }

    @Test
    void aDecisionEitherRetriesOrNamesAStopReason() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryDecision(true, Duration.ZERO, StopReason.RETRIES_EXHAUSTED))
                .withMessageContaining("either retries or names a stop reason");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryDecision(false, Duration.ZERO, null))
                .withMessageContaining("either retries or names a stop reason");
    }

    @Test
    void nullsAreRejected() {
        assertThatNullPointerException().isThrownBy(() -> RetryDecision.retryAfter(null)).withMessage("delay");
        assertThatNullPointerException().isThrownBy(() -> RetryDecision.stop(null)).withMessage("reason");
    }

    @Test
    void decisionsAreValues() {
        assertThat(RetryDecision.retryAfter(Duration.ofMillis(5)))
                .isEqualTo(new RetryDecision(true, Duration.ofMillis(5), null));
        assertThat(RetryDecision.stop(StopReason.NOT_RETRYABLE))
                .isEqualTo(new RetryDecision(false, Duration.ZERO, StopReason.NOT_RETRYABLE));
    }
}
