package dev.rebatch.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.fake.ScriptedBatchEndpoint;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.RecordedRequest;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.retry.AttemptEvent;
import dev.rebatch.retry.DelayReason;
import dev.rebatch.retry.RetryHandler;
import dev.rebatch.retry.policy.ExponentialRetry;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.retry.time.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One test's world: a {@link ScriptedBatchEndpoint}, a virtual clock, every {@link AttemptEvent} the client's retry
 * handler reports, and clients built on them. The waits between attempts are virtual; the HTTP is real.
 */
final class FakeBatch implements AutoCloseable {

    static final String ACCOUNT = "testaccount";
    /** A Base64 key; any will do, the fake endpoint does not check signatures. */
    static final String KEY = "dGVzdGtleS1mb3ItdGhlLXNjcmlwdGVkLWVuZHBvaW50LW9ubHktMDAwMDAwMA==";

    /** The policy of every test client: exponential from 1 s, 3 retries, 30 s cap, full jitter. */
    static final ExponentialRetry POLICY = RetryPolicyProvider.exponentialRetry(Duration.ofSeconds(1), 3);

    /** Long enough for any loopback answer on a loaded machine; the hang tests set a short one per call. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    final ScriptedBatchEndpoint endpoint;
    final VirtualTimeSource time = new VirtualTimeSource();
    final List<AttemptEvent> events = new CopyOnWriteArrayList<>();
    /** Seeded, so the jitter is the same in every run; java.util.Random is thread-safe for parallel bulk adds. */
    private final Random jitter = new Random(20261125L);
    private volatile Consumer<AttemptEvent> onAttempt = event -> { };

    private FakeBatch(ScriptedBatchEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    static FakeBatch start() {
        return new FakeBatch(ScriptedBatchEndpoint.start());
    }

    /** The endpoint refuses connections until {@code endpoint.listen()}. */
    static FakeBatch notListeningYet() {
        return new FakeBatch(ScriptedBatchEndpoint.notListeningYet());
    }

    FakeBatch then(Step... steps) {
        endpoint.then(steps);
        return this;
    }

    /** Runs {@code action} on every attempt event, after recording it (for example to start listening). */
    FakeBatch onAttempt(Consumer<AttemptEvent> action) {
        this.onAttempt = action;
        return this;
    }

    /** A client with {@link #POLICY}, the virtual clock, seeded jitter and the event recorder. */
    BatchClient client() {
        return client(handler -> { });
    }

    /** A client whose handler {@code configure} may change further (a policy, a deadline...). */
    BatchClient client(Consumer<RetryHandler.Builder> configure) {
        return clientBuilder(configure).build();
    }

    /** The builder of {@link #client(Consumer)}, for settings of the client itself (its clock...). */
    BatchClient.Builder clientBuilder(Consumer<RetryHandler.Builder> configure) {
        RetryHandler.Builder handler = RetryHandler.builder()
                .policy(POLICY)
                .attemptTimeout(ATTEMPT_TIMEOUT)
                .timeSource(time)
                .random(() -> jitter)
                .listener(event -> {
                    events.add(event);
                    onAttempt.accept(event);
                });
        configure.accept(handler);
        return BatchClient.builder()
                .endpoint(endpoint.url())
                .sharedKey(ACCOUNT, KEY)
                .retryHandler(handler.build());
    }

    List<RecordedRequest> requests() {
        return endpoint.requests();
    }

    /** The events of attempts after which the handler retried, in order. */
    List<AttemptEvent> retries() {
        return events.stream().filter(AttemptEvent::willRetry).toList();
    }

    /** "POST /jobs" for each request, in order. */
    List<String> requestLines() {
        return requests().stream().map(RecordedRequest::describe).toList();
    }

    @Override
    public void close() {
        endpoint.close();
    }

    // ---- assertions shared by the tests ----

    /** All of {@code requests} are attempts of one call: one client-request-id, a GUID. */
    static String assertOneCall(List<RecordedRequest> requests) {
        assertThat(requests).isNotEmpty();
        String id = requests.get(0).clientRequestId();
        assertThat(UUID.fromString(id).toString()).isEqualToIgnoringCase(id);
        assertThat(requests).extracting(RecordedRequest::clientRequestId).containsOnly(id);
        assertThat(requests).allSatisfy(request -> assertThat(request.header("return-client-request-id"))
                .isEqualTo("true"));
        return id;
    }

    /** Each request is a call of its own: no two share a client-request-id. */
    static void assertSeparateCalls(RecordedRequest... requests) {
        assertThat(List.of(requests)).extracting(RecordedRequest::clientRequestId).doesNotHaveDuplicates()
                .doesNotContainNull();
    }

    /**
     * Every retry waited a backoff within {@link #POLICY}'s documented bounds: before retry n, full jitter of
     * min(30 s, 1 s x 2^(n-1)), so between 0 and that ceiling.
     */
    void assertBackoffWithinPolicy(List<AttemptEvent> retries) {
        assertThat(retries).allSatisfy(event -> {
            assertThat(event.delayReason()).isEqualTo(DelayReason.BACKOFF);
            assertThat(event.delay()).isBetween(Duration.ZERO, Duration.ofNanos(POLICY.ceilingNanos(event.attempt())));
        });
    }

    /** The handler slept (on the virtual clock) exactly the delays it reported, and nothing else. */
    void assertSleptExactlyTheReportedDelays() {
        assertThat(time.sleeps()).containsExactlyElementsOf(retries().stream().map(AttemptEvent::delay).toList());
    }
}
