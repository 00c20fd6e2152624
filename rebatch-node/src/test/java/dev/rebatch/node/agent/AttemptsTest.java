package dev.rebatch.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.model.agent.HeldAttempt;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.node.exec.CancelReason;
import org.junit.jupiter.api.Test;

/** The slots the agent counts as free, which its lease calls and its completion reports offer. */
class AttemptsTest {

    private static final NodeRegistration NODE = new NodeRegistration("tvmps_1", "token", "pool", null, 2, 2, 5_000,
            25_000, null);

    private final Attempts attempts = new Attempts();

    @Test
    void anAttemptHoldsItsSlotsUntilItsProcessIsGoneAndTheServiceNoLongerCountsIt() {
        Attempt attempt = granted("t1", 2);
        assertThat(attempts.freeSlots(NODE)).isZero();

        attempt.processGone();
        assertThat(attempts.freeSlots(NODE)).as("still listed: its completion is not acknowledged").isZero();

        attempt.unlisted();
        assertThat(attempts.freeSlots(NODE)).isEqualTo(2);
    }

    @Test
    void theSlotOfAReportOutStaysTheReportsToOfferEvenWhenTheAttemptIsDropped() {
        Attempt reported = granted("t1", 1);
        granted("t2", 1);
        reported.processGone();
        reported.reportHandedOver();

        // A lease call's answer cancels it (the service took the report already) while the report's call is out.
        reported.drop(CancelReason.TERMINATE_TASK);
        attempts.forgetIfFinished(reported);

        assertThat(attempts.freeSlots(NODE)).as("a lease call must not offer the slot the report offers").isZero();
        assertThat(attempts.get(reported.id)).as("not forgotten while its report is out").isSameAs(reported);

        reported.unlisted(); // the report is settled
        attempts.forgetIfFinished(reported);
        assertThat(attempts.freeSlots(NODE)).isEqualTo(1);
        assertThat(attempts.get(reported.id)).isNull();
    }

    private Attempt granted(String taskId, int slots) {
        Attempt attempt = new Attempt(new HeldAttempt("job", taskId, 1), slots, NODE);
        assertThat(attempts.add(attempt)).isTrue();
        return attempt;
    }
}
