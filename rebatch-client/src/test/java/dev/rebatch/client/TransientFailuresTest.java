package dev.rebatch.client;

import static dev.rebatch.client.BatchBodies.ETAG;
import static dev.rebatch.client.FakeBatch.assertOneCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.client.errors.AttemptRecord;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.RecordedRequest;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.JobState;
import dev.rebatch.retry.AttemptEvent;
import dev.rebatch.retry.DelayReason;
import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rows of Batch's common errors that a retry fixes: each is retried under one client-request-id, after a wait
 * the policy (or the service's Retry-After) chooses on the virtual clock, and the call then succeeds; or, when the
 * failure persists, ends in a typed exception that lists every attempt.
 */
class TransientFailuresTest {

    private static final JobSpec JOB = JobSpec.of("job-1", "pool-1").withPriority(100);
    private static final String LAST_MODIFIED_HTTP = "Thu, 01 Jan 2026 00:00:00 GMT";
    private static final Created CREATED = new Created("job-1", ETAG, Instant.parse("2026-01-01T00:00:00Z"), false);

    private FakeBatch batch;

    @AfterEach
    void closeEndpoint() {
        batch.close();
    }

    @Test
    void refusedConnectionIsRetriedAsNotSentAndThenSucceeds() {
        batch = FakeBatch.notListeningYet().then(created());
        batch.onAttempt(event -> {
            if (event.willRetry()) {
                batch.endpoint.listen();
            }
        });

        Created created = batch.client().jobs().create(JOB);

        assertThat(created).isEqualTo(CREATED);
        // The refused attempt never reached the endpoint; the retry did, with the operation's id.
        assertThat(batch.requestLines()).containsExactly("POST /jobs");
        String id = assertOneCall(batch.requests());
        assertThat(batch.events).extracting(AttemptEvent::operationId).containsOnly(id);
        assertThat(batch.events).extracting(event -> event.outcome().category())
                .containsExactly(Category.NETWORK_NOT_SENT, Category.SUCCESS);
        assertThat(batch.events.get(0).outcome().failure()).isInstanceOf(ConnectException.class);
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void responseLostAfterTheCreateWasAppliedIsRetriedWithTheSameIdAndTheReplayedCreatedIsSuccess() {
        // Rebatch remembers the client-request-id of an applied create and answers its retry with the same 201.
        batch = FakeBatch.start().then(Step.dropAfterApplying(), created());

        Created created = batch.client().jobs().create(JOB);

        assertThat(created).isEqualTo(CREATED);
        List<RecordedRequest> requests = batch.requests();
        assertThat(batch.requestLines()).containsExactly("POST /jobs", "POST /jobs");
        assertOneCall(requests);
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
        assertThat(BatchBodies.read(requests.get(0).body())).isEqualTo(BatchBodies.JSON.valueToTree(JOB));
        assertThat(requests).extracting(RecordedRequest::query).containsOnly("api-version=2024-07-01.20.0");
        assertThat(batch.events).extracting(event -> event.outcome().category())
                .containsExactly(Category.NETWORK_UNKNOWN, Category.SUCCESS);
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void attemptThatHangsTimesOutAsUnknownOutcomeAndIsRetried() {
        batch = FakeBatch.start().then(Step.hang(), created());

        // The transport's own timeout ends the hanging attempt; the wait before the retry is still virtual.
        Created created = batch.client().jobs().create(JOB,
                RequestOptions.DEFAULTS.withAttemptTimeout(Duration.ofMillis(500)));

        assertThat(created).isEqualTo(CREATED);
        assertThat(batch.requestLines()).containsExactly("POST /jobs", "POST /jobs");
        assertOneCall(batch.requests());
        AttemptEvent timedOut = batch.events.get(0);
        assertThat(timedOut.outcome().category()).isEqualTo(Category.NETWORK_UNKNOWN);
        assertThat(timedOut.outcome().timedOut()).isTrue();
        assertThat(timedOut.outcome().failure()).isInstanceOf(HttpTimeoutException.class);
        assertThat(batch.events.get(1).outcome().category()).isEqualTo(Category.SUCCESS);
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void responseThatStallsMidBodyTimesOutAsUnknownOutcomeAndIsRetried() {
        String job = BatchBodies.job(JOB, "active");
        batch = FakeBatch.start().then(Step.stallMidBody(200, job), Step.ok(200, job));

        // The attempt timeout covers the whole answer, not only the wait for its headers. It is long enough for the
        // headers to arrive even in a cold JVM, so that it is the stalled body that it ends.
        CloudJob found = batch.client().jobs().get("job-1",
                RequestOptions.DEFAULTS.withAttemptTimeout(Duration.ofSeconds(2)));

        assertThat(found.id()).isEqualTo("job-1");
        assertThat(batch.requestLines()).containsExactly("GET /jobs/job-1", "GET /jobs/job-1");
        assertOneCall(batch.requests());
        AttemptEvent stalled = batch.events.get(0);
        assertThat(stalled.outcome().category()).isEqualTo(Category.NETWORK_UNKNOWN);
        assertThat(stalled.outcome().timedOut()).isTrue();
        assertThat(stalled.outcome().failure()).isInstanceOf(HttpTimeoutException.class);
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void internalErrorIsRetriedWithBackoffAndThenSucceeds() {
        batch = FakeBatch.start().then(internalError(), internalError(),
                Step.ok(200, BatchBodies.job(JOB, "active")));

        CloudJob job = batch.client().jobs().get("job-1");

        assertThat(job.id()).isEqualTo("job-1");
        assertThat(job.state()).isEqualTo(JobState.ACTIVE);
        assertThat(batch.requestLines()).containsExactly("GET /jobs/job-1", "GET /jobs/job-1", "GET /jobs/job-1");
        assertOneCall(batch.requests());
        assertThat(batch.events).extracting(event -> event.outcome().category())
                .containsExactly(Category.SERVER, Category.SERVER, Category.SUCCESS);
        assertThat(batch.retries()).extracting(event -> event.outcome().statusCode()).containsExactly(500, 500);
        batch.assertBackoffWithinPolicy(batch.retries());
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void persistentInternalErrorEndsWhenRetriesAreExhaustedWithEveryAttemptAndDelay() {
        batch = FakeBatch.start().then(internalError(), internalError(), internalError(), internalError());

        assertThatThrownBy(() -> batch.client().jobs().create(JOB))
                .isInstanceOfSatisfying(BatchServiceException.class, failure -> {
                    List<RecordedRequest> requests = batch.requests();
                    assertThat(failure.statusCode()).isEqualTo(500);
                    assertThat(failure.errorCode()).isEqualTo("InternalError");
                    assertThat(failure.serviceMessage()).startsWith("Server encountered an internal error.");
                    assertThat(failure.category()).isEqualTo(Category.SERVER);
                    assertThat(failure.stopReason()).isEqualTo(StopReason.RETRIES_EXHAUSTED);
                    assertThat(failure.retryAfter()).isNull();
                    assertThat(failure.clientRequestId()).isEqualTo(assertOneCall(requests));
                    assertThat(failure.requestId()).isEqualTo(requests.get(3).serviceRequestId());
                    // One attempt per request; a delay within the policy after each but the last.
                    assertThat(failure.attempts()).extracting(AttemptRecord::number).containsExactly(1, 2, 3, 4);
                    assertThat(failure.attempts()).allSatisfy(attempt -> {
                        assertThat(attempt.category()).isEqualTo(Category.SERVER);
                        assertThat(attempt.statusCode()).isEqualTo(500);
                        assertThat(attempt.errorCode()).isEqualTo("InternalError");
                    });
                    List<AttemptRecord> retried = failure.attempts().subList(0, 3);
                    assertThat(retried).allSatisfy(attempt -> {
                        assertThat(attempt.delayReason()).isEqualTo(DelayReason.BACKOFF);
                        assertThat(attempt.delay()).isBetween(Duration.ZERO,
                                Duration.ofNanos(FakeBatch.POLICY.ceilingNanos(attempt.number())));
                    });
                    assertThat(failure.attempts().get(3).delay()).isNull();
                    assertThat(retried).extracting(AttemptRecord::delay).containsExactlyElementsOf(batch.time.sleeps());
                    assertThat(failure.getMessage()).contains("create job job-1 failed: 500 InternalError",
                            "RETRIES_EXHAUSTED", "4 attempts");
                });
        assertThat(batch.requestLines()).hasSize(4).containsOnly("POST /jobs");
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void serverBusyWithRetryAfterWaitsAtLeastThatLongAndThenSucceeds() {
        batch = FakeBatch.start().then(
                Step.error(503, "ServerBusy", "The server is currently unable to receive requests. Please retry "
                        + "your request.", "Retry-After", "7"),
                created());

        Created created = batch.client().jobs().create(JOB);

        assertThat(created).isEqualTo(CREATED);
        assertThat(batch.requestLines()).containsExactly("POST /jobs", "POST /jobs");
        assertOneCall(batch.requests());
        AttemptEvent busy = batch.events.get(0);
        assertThat(busy.outcome().category()).isEqualTo(Category.THROTTLED);
        assertThat(busy.outcome().serverHint()).isEqualTo(Duration.ofSeconds(7));
        assertWaitedForTheHint(busy, Duration.ofSeconds(7));
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void tooManyRequestsWithRetryAfterSecondsWaitsThatLong() {
        batch = FakeBatch.start().then(tooManyRequests("12"), Step.ok(200, BatchBodies.job(JOB, "active")));

        CloudJob job = batch.client().jobs().get("job-1");

        assertThat(job.id()).isEqualTo("job-1");
        assertOneCall(batch.requests());
        assertThat(batch.requests()).hasSize(2);
        AttemptEvent throttled = batch.events.get(0);
        assertThat(throttled.outcome().category()).isEqualTo(Category.THROTTLED);
        assertThat(throttled.outcome().statusCode()).isEqualTo(429);
        assertWaitedForTheHint(throttled, Duration.ofSeconds(12));
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void tooManyRequestsWithRetryAfterHttpDateWaitsUntilThatDateOnTheVirtualClock() {
        batch = FakeBatch.start();
        // Move the virtual clock away from its epoch, so that a hint read against any other clock would be off.
        batch.time.advance(Duration.ofHours(5));
        Instant inTwentySeconds = batch.time.now().plusSeconds(20);
        batch.then(tooManyRequests(DateTimeFormatter.RFC_1123_DATE_TIME.format(inTwentySeconds.atOffset(ZoneOffset.UTC))),
                Step.ok(200, BatchBodies.job(JOB, "active")));

        batch.client().jobs().get("job-1");

        assertThat(batch.requests()).hasSize(2);
        assertOneCall(batch.requests());
        AttemptEvent throttled = batch.events.get(0);
        assertThat(throttled.outcome().serverHint()).isEqualTo(Duration.ofSeconds(20));
        assertWaitedForTheHint(throttled, Duration.ofSeconds(20));
        assertThat(batch.time.now()).isAfterOrEqualTo(inTwentySeconds);
        batch.assertSleptExactlyTheReportedDelays();
    }

    @Test
    void retryAfterBeyondTheDeadlineStopsAtOnceAndReportsTheHint() {
        batch = FakeBatch.start().then(tooManyRequests("120"));

        assertThatThrownBy(() -> batch.client().jobs().get("job-1",
                RequestOptions.DEFAULTS.withDeadline(Duration.ofSeconds(60))))
                .isInstanceOfSatisfying(BatchServiceException.class, failure -> {
                    assertThat(failure.statusCode()).isEqualTo(429);
                    assertThat(failure.errorCode()).isEqualTo("TooManyRequests");
                    assertThat(failure.category()).isEqualTo(Category.THROTTLED);
                    assertThat(failure.stopReason()).isEqualTo(StopReason.SERVER_HINT_BEYOND_DEADLINE);
                    assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(120));
                    assertThat(failure.attempts()).singleElement().satisfies(attempt -> {
                        assertThat(attempt.category()).isEqualTo(Category.THROTTLED);
                        assertThat(attempt.delay()).isNull();
                    });
                    assertThat(failure.requestId()).isEqualTo(batch.requests().get(0).serviceRequestId());
                });
        assertThat(batch.requests()).hasSize(1);
        assertThat(batch.time.sleeps()).isEmpty();
    }

    @Test
    void eachCallHasItsOwnIdAndACallerChosenIdIsSentByEveryAttempt() {
        String chosen = "6f1c2a8e-3b4d-4c5e-9f60-7a8b9c0d1e2f";
        batch = FakeBatch.start().then(Step.ok(200, BatchBodies.job(JOB, "active")),
                Step.ok(200, BatchBodies.job(JOB, "active")), internalError(), Step.ok(200, BatchBodies.job(JOB, "active")));
        BatchClient client = batch.client();

        client.jobs().get("job-1");
        client.jobs().get("job-1");
        client.jobs().get("job-1", RequestOptions.DEFAULTS.withClientRequestId(chosen));

        List<RecordedRequest> requests = batch.requests();
        assertThat(requests).hasSize(4);
        FakeBatch.assertSeparateCalls(requests.get(0), requests.get(1), requests.get(2));
        assertThat(requests.subList(2, 4)).extracting(RecordedRequest::clientRequestId).containsOnly(chosen);
    }

    /**
     * The wait after {@code event} honoured the service's hint: never sooner, plus the documented upward jitter of
     * at most a fifth of the hint (at least 100 ms, at most 5 s).
     */
    private static void assertWaitedForTheHint(AttemptEvent event, Duration hint) {
        Duration fifth = hint.dividedBy(5);
        Duration jitter = fifth.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100)
                : fifth.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : fifth;
        assertThat(event.delayReason()).isEqualTo(DelayReason.SERVER_HINT);
        assertThat(event.delay()).isBetween(hint, hint.plus(jitter));
    }

    private static Step created() {
        return Step.ok(201, null, "ETag", ETAG, "Last-Modified", LAST_MODIFIED_HTTP,
                "Location", "https://account.region.batch.azure.com/jobs/job-1", "DataServiceId",
                "https://account.region.batch.azure.com/jobs/job-1");
    }

    private static Step internalError() {
        return Step.error(500, "InternalError", "Server encountered an internal error. Please try again after some time.");
    }

    private static Step tooManyRequests(String retryAfter) {
        return Step.error(429, "TooManyRequests", "The request rate is too high.", "Retry-After", retryAfter);
    }
}
