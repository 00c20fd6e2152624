package dev.rebatch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.client.errors.AttemptRecord;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rows of Batch's common errors that are definite refusals: the same request would get the same answer, so the
 * SDK sends it once and throws the answer as it is, with no retry, no wait and no read.
 */
class RefusalsTest {

    private static final JobSpec JOB = JobSpec.of("job-1", "pool-1");

    private FakeBatch batch;

    @AfterEach
    void closeEndpoint() {
        batch.close();
    }

    @Test
    void jobExistsWithoutAnEarlierUnknownOutcomeIsThrownAsItIs() {
        batch = FakeBatch.start().then(Step.error(409, "JobExists", "The specified job already exists."));

        assertThatThrownBy(() -> batch.client().jobs().create(JOB))
                .isExactlyInstanceOf(BatchServiceException.class)
                .isInstanceOfSatisfying(BatchServiceException.class, refusal ->
                        assertRefusedOnce(refusal, 409, "JobExists", Category.CONFLICT));
        assertThat(batch.requestLines()).containsExactly("POST /jobs");
        assertThat(batch.time.sleeps()).isEmpty();
    }

    @Test
    void jobExistsAfterARefusedConnectionIsThrownAsItIs() {
        // A refused connection never reached the service, so the JobExists that follows is not an echo of it.
        batch = FakeBatch.notListeningYet().then(Step.error(409, "JobExists", "The specified job already exists."));
        batch.onAttempt(event -> {
            if (event.willRetry()) {
                batch.endpoint.listen();
            }
        });

        assertThatThrownBy(() -> batch.client().jobs().create(JOB))
                .isExactlyInstanceOf(BatchServiceException.class)
                .isInstanceOfSatisfying(BatchServiceException.class, refusal -> {
                    assertThat(refusal.errorCode()).isEqualTo("JobExists");
                    assertThat(refusal.attempts()).extracting(AttemptRecord::category)
                            .containsExactly(Category.NETWORK_NOT_SENT, Category.CONFLICT);
                    assertThat(refusal.clientRequestId()).isEqualTo(batch.requests().get(0).clientRequestId());
                });
        assertThat(batch.requestLines()).containsExactly("POST /jobs");
    }

    @Test
    void operationInvalidForCurrentStateOnEnableIsThrownWithoutRetry() {
        batch = FakeBatch.start().then(Step.error(409, "OperationInvalidForCurrentState",
                "The specified operation is not valid for the current state of the resource."));

        assertThatThrownBy(() -> batch.client().jobs().enable("job-1"))
                .isInstanceOfSatisfying(BatchServiceException.class, refusal ->
                        assertRefusedOnce(refusal, 409, "OperationInvalidForCurrentState", Category.CONFLICT));
        assertThat(batch.requestLines()).containsExactly("POST /jobs/job-1/enable");
        assertThat(batch.time.sleeps()).isEmpty();
    }

    @Test
    void invalidPropertyValueIsThrownWithTheValuesNamingTheProperty() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PropertyName", "priority");
        values.put("PropertyValue", "5000");
        values.put("Reason", "The value must be between -1000 and 1000.");
        batch = FakeBatch.start().then(Step.errorWithValues(400, "InvalidPropertyValue",
                "The value provided for one of the properties in the request body is invalid.", values));

        assertThatThrownBy(() -> batch.client().jobs().create(JOB.withPriority(5000)))
                .isInstanceOfSatisfying(BatchServiceException.class, refusal -> {
                    assertRefusedOnce(refusal, 400, "InvalidPropertyValue", Category.CLIENT);
                    assertThat(refusal.values()).containsExactly(
                            Map.entry("PropertyName", "priority"),
                            Map.entry("PropertyValue", "5000"),
                            Map.entry("Reason", "The value must be between -1000 and 1000."));
                    assertThat(refusal.serviceMessage()).startsWith("The value provided for one of the properties");
                    assertThat(refusal.getMessage()).contains("create job job-1 failed: 400 InvalidPropertyValue");
                });
        assertThat(batch.requestLines()).containsExactly("POST /jobs");
        assertThat(batch.time.sleeps()).isEmpty();
    }

    @Test
    void jobNotFoundOnDeleteWithoutAnEarlierUnknownOutcomeIsThrown() {
        batch = FakeBatch.start().then(Step.error(404, "JobNotFound", "The specified job does not exist."));

        assertThatThrownBy(() -> batch.client().jobs().delete("job-1"))
                .isInstanceOfSatisfying(BatchServiceException.class, refusal ->
                        assertRefusedOnce(refusal, 404, "JobNotFound", Category.CLIENT));
        assertThat(batch.requestLines()).containsExactly("DELETE /jobs/job-1");
        assertThat(batch.time.sleeps()).isEmpty();
    }

    /** One attempt, not retried, and the exception carries the service's answer to it. */
    private void assertRefusedOnce(BatchServiceException refusal, int status, String code, Category category) {
        assertThat(refusal.statusCode()).isEqualTo(status);
        assertThat(refusal.errorCode()).isEqualTo(code);
        assertThat(refusal.category()).isEqualTo(category);
        assertThat(refusal.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
        assertThat(refusal.retryAfter()).isNull();
        assertThat(refusal.requestId()).isEqualTo(batch.requests().get(0).serviceRequestId());
        assertThat(refusal.clientRequestId()).isEqualTo(FakeBatch.assertOneCall(batch.requests()));
        assertThat(refusal.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.number()).isEqualTo(1);
            assertThat(attempt.category()).isEqualTo(category);
            assertThat(attempt.statusCode()).isEqualTo(status);
            assertThat(attempt.errorCode()).isEqualTo(code);
            assertThat(attempt.delay()).isNull();
            assertThat(attempt.delayReason()).isNull();
        });
    }
}
