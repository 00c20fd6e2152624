package dev.rebatch.client;

import static dev.rebatch.client.BatchBodies.ETAG;
import static dev.rebatch.client.BatchBodies.LAST_MODIFIED;
import static dev.rebatch.client.FakeBatch.assertOneCall;
import static dev.rebatch.client.FakeBatch.assertSeparateCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.client.errors.AttemptRecord;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.errors.ResourceConflictException;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.RecordedRequest;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.PoolInformation;
import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A retry after an attempt whose outcome is unknown (a lost response, a timeout, a 500) may be refused only because
 * the earlier attempt was applied: a create told JobExists, a delete told JobNotFound, a terminate told JobCompleted.
 * The SDK resolves each: it reads the resource where that tells the two cases apart, and never swallows a refusal the
 * resource does not explain.
 */
class EchoResolutionTest {

    private static final JobSpec JOB = JobSpec.of("job-1", "pool-1").withPriority(100)
            .withMaxTaskRetryCount(3).withMetadataItem("owner", "render-farm");

    private FakeBatch batch;

    @AfterEach
    void closeEndpoint() {
        batch.close();
    }

    @Test
    void jobExistsAfterALostResponseIsConfirmedByReadingTheJobItSent() {
        // Azure Batch does not replay a create: the retry is told JobExists.
        batch = FakeBatch.start().then(Step.dropAfterApplying(), jobExists(), Step.ok(200, BatchBodies.job(JOB, "active")));

        Created created = batch.client().jobs().create(JOB);

        assertThat(created).isEqualTo(new Created("job-1", ETAG, Instant.parse(LAST_MODIFIED), true));
        assertCreateThenRead(batch.requests());
        assertThat(batch.events).extracting(event -> event.outcome().category())
                .containsExactly(Category.NETWORK_UNKNOWN, Category.CONFLICT, Category.SUCCESS);
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void jobExistsAfterALostResponseWithAnotherJobOfThatIdNamesTheDifferences() {
        String someoneElses = BatchBodies.job(JOB, "active",
                Map.of("priority", 0, "poolInfo", new PoolInformation("pool-2")));
        batch = FakeBatch.start().then(Step.dropAfterApplying(), jobExists(), Step.ok(200, someoneElses));

        assertThatThrownBy(() -> batch.client().jobs().create(JOB))
                .isInstanceOfSatisfying(ResourceConflictException.class, conflict -> {
                    assertThat(conflict.differences()).containsExactlyInAnyOrder(
                            "priority: sent 100, found 0",
                            "poolInfo.poolId: sent \"pool-1\", found \"pool-2\"");
                    assertTheJobExistsAnswer(conflict, Category.NETWORK_UNKNOWN);
                    assertThat(conflict.getMessage()).contains("job job-1 already exists and differs",
                            "another client created it", "priority: sent 100, found 0");
                });
        assertCreateThenRead(batch.requests());
    }

    @Test
    void jobExistsAfterAnInternalErrorIsConfirmedByRead() {
        batch = FakeBatch.start().then(
                Step.error(500, "InternalError", "Server encountered an internal error."), jobExists(),
                Step.ok(200, BatchBodies.job(JOB, "active")));

        Created created = batch.client().jobs().create(JOB);

        assertThat(created.confirmedByRead()).isTrue();
        assertThat(created.id()).isEqualTo("job-1");
        assertCreateThenRead(batch.requests());
        assertThat(batch.events).extracting(event -> event.outcome().category())
                .containsExactly(Category.SERVER, Category.CONFLICT, Category.SUCCESS);
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void jobExistsAfterATimeoutWithAnotherJobOfThatIdIsAConflict() {
        String someoneElses = BatchBodies.job(JOB, "active",
                Map.of("metadata", List.of(Map.of("name", "owner", "value", "someone-else"))));
        batch = FakeBatch.start().then(Step.hang(), jobExists(), Step.ok(200, someoneElses));

        assertThatThrownBy(() -> batch.client().jobs().create(JOB,
                RequestOptions.DEFAULTS.withAttemptTimeout(Duration.ofMillis(500))))
                .isInstanceOfSatisfying(ResourceConflictException.class, conflict -> {
                    assertThat(conflict.differences()).containsExactly(
                            "metadata[0].value: sent \"render-farm\", found \"someone-else\"");
                    assertTheJobExistsAnswer(conflict, Category.NETWORK_UNKNOWN);
                    assertThat(conflict.attempts().get(0).statusCode()).isZero();
                });
        assertCreateThenRead(batch.requests());
    }

    @Test
    void deleteToldJobNotFoundAfterAnUnknownOutcomeSucceedsWithoutReading() {
        batch = FakeBatch.start().then(
                Step.error(500, "InternalError", "Server encountered an internal error."),
                Step.error(404, "JobNotFound", "The specified job does not exist."));

        batch.client().jobs().delete("job-1");

        assertThat(batch.requestLines()).containsExactly("DELETE /jobs/job-1", "DELETE /jobs/job-1");
        assertOneCall(batch.requests());
        assertThat(batch.events).extracting(event -> event.outcome().category())
                .containsExactly(Category.SERVER, Category.CLIENT);
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void terminateToldJobCompletedAfterAnUnknownOutcomeSucceedsWhenTheJobIsCompleted() {
        batch = FakeBatch.start().then(Step.dropAfterApplying(), jobCompleted(),
                Step.ok(200, BatchBodies.job(JOB, "completed")));

        batch.client().jobs().terminate("job-1", "done");

        assertTerminateThenRead(batch.requests());
        assertThat(BatchBodies.read(batch.requests().get(0).body()).path("terminateReason").asText()).isEqualTo("done");
        assertThat(batch.events).extracting(event -> event.outcome().category())
                .containsExactly(Category.NETWORK_UNKNOWN, Category.CONFLICT, Category.SUCCESS);
        batch.assertBackoffWithinPolicy(batch.retries());
    }

    @Test
    void terminateToldJobCompletedAfterAnUnknownOutcomeThrowsTheConflictWhenTheJobIsStillActive() {
        batch = FakeBatch.start().then(Step.dropAfterApplying(), jobCompleted(),
                Step.ok(200, BatchBodies.job(JOB, "active")));

        assertThatThrownBy(() -> batch.client().jobs().terminate("job-1", "done"))
                .isExactlyInstanceOf(BatchServiceException.class)
                .isInstanceOfSatisfying(BatchServiceException.class, refusal -> {
                    assertThat(refusal.statusCode()).isEqualTo(409);
                    assertThat(refusal.errorCode()).isEqualTo("JobCompleted");
                    assertThat(refusal.category()).isEqualTo(Category.CONFLICT);
                    assertThat(refusal.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
                    assertThat(refusal.clientRequestId()).isEqualTo(batch.requests().get(0).clientRequestId());
                    assertThat(refusal.requestId()).isEqualTo(batch.requests().get(1).serviceRequestId());
                    assertThat(refusal.attempts()).extracting(AttemptRecord::category)
                            .containsExactly(Category.NETWORK_UNKNOWN, Category.CONFLICT);
                });
        assertTerminateThenRead(batch.requests());
    }

    /** Two attempts of the create under one id, then a read of the job as a call of its own. */
    private static void assertCreateThenRead(List<RecordedRequest> requests) {
        assertThat(requests).extracting(RecordedRequest::describe)
                .containsExactly("POST /jobs", "POST /jobs", "GET /jobs/job-1");
        assertOneCall(requests.subList(0, 2));
        assertSeparateCalls(requests.get(1), requests.get(2));
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
    }

    private static void assertTerminateThenRead(List<RecordedRequest> requests) {
        assertThat(requests).extracting(RecordedRequest::describe)
                .containsExactly("POST /jobs/job-1/terminate", "POST /jobs/job-1/terminate", "GET /jobs/job-1");
        assertOneCall(requests.subList(0, 2));
        assertSeparateCalls(requests.get(1), requests.get(2));
    }

    /** The conflict still carries the service's 409 JobExists answer and both attempts of the create. */
    private void assertTheJobExistsAnswer(BatchServiceException conflict, Category firstAttempt) {
        List<RecordedRequest> requests = batch.requests();
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.errorCode()).isEqualTo("JobExists");
        assertThat(conflict.category()).isEqualTo(Category.CONFLICT);
        assertThat(conflict.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
        assertThat(conflict.clientRequestId()).isEqualTo(requests.get(0).clientRequestId());
        assertThat(conflict.requestId()).isEqualTo(requests.get(1).serviceRequestId());
        assertThat(conflict.attempts()).extracting(AttemptRecord::category)
                .containsExactly(firstAttempt, Category.CONFLICT);
        assertThat(conflict.attempts().get(0).delay()).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(conflict.attempts().get(1).delay()).isNull();
    }

    private static Step jobExists() {
        return Step.error(409, "JobExists", "The specified job already exists.");
    }

    private static Step jobCompleted() {
        return Step.error(409, "JobCompleted", "The specified job is already in a completed state.");
    }
}
