package dev.rebatch.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.fake.ScriptedBatchEndpoint.RecordedRequest;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.server.auth.Account;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.auth.AuthenticationFailure;
import dev.rebatch.server.auth.AuthenticationResult;
import dev.rebatch.server.auth.SharedKeyAuthenticator;
import dev.rebatch.server.auth.SignedRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Authorization header the SDK sends, as the service checks it: every request verifies with Rebatch's own
 * {@link SharedKeyAuthenticator}, and two requests match signatures computed outside Java from the documented
 * string-to-sign (fixed vectors).
 */
class SharedKeySigningTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final SharedKeyAuthenticator SERVICE = new SharedKeyAuthenticator(AccountRegistry.of(List.of(
            new Account(FakeBatch.ACCOUNT, Base64.getDecoder().decode(FakeBatch.KEY)))));

    private FakeBatch batch;
    private BatchClient client;

    @BeforeEach
    void startEndpoint() {
        batch = FakeBatch.start();
        client = batch.clientBuilder(handler -> { }).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    @AfterEach
    void closeEndpoint() {
        batch.close();
    }

    @Test
    void everyKindOfRequestVerifiesWithTheServicesAuthenticator() {
        batch.endpoint.otherwise(request -> request.method().equals("GET")
                ? Step.ok(200, BatchBodies.page(null)) : Step.ok(201, null));

        client.jobs().create(JobSpec.of("job-1", "pool-1").withDisplayName("Ünïcode & spaces"));
        client.jobs().list(ListOptions.filter("state eq 'active' and id ge 'a+b'").withSelect("id,state")).toList();
        client.tasks().create("job 1/with spaces", TaskSpec.of("t1", "echo %PATH% && echo 'hi'"));
        client.jobs().enable("job-1");
        client.jobs().delete("job-1");

        List<RecordedRequest> requests = batch.requests();
        assertThat(requests).extracting(RecordedRequest::method).containsExactly("POST", "GET", "POST", "POST", "DELETE");
        assertThat(requests).allSatisfy(request ->
                assertThat(SERVICE.authenticate(signed(request), NOW))
                        .as("%s %s?%s", request.method(), request.path(), request.query())
                        .isInstanceOf(AuthenticationResult.Authenticated.class));
    }

    @Test
    void aRequestChangedInTransitNoLongerVerifies() {
        batch.endpoint.otherwise(request -> Step.ok(201, null));

        client.jobs().create(JobSpec.of("job-1", "pool-1"));

        RecordedRequest sent = batch.requests().get(0);
        SignedRequest otherPath = new SignedRequest(sent.method(), "/jobs/other", sent.query(), sent.headers(),
                sent.bodyLength());
        SignedRequest otherLength = new SignedRequest(sent.method(), sent.path(), sent.query(), sent.headers(),
                sent.bodyLength() + 1);
        assertThat(SERVICE.authenticate(otherPath, NOW)).isInstanceOfSatisfying(AuthenticationFailure.class,
                failure -> assertThat(failure.reason()).isEqualTo(AuthenticationFailure.Reason.SIGNATURE_MISMATCH));
        assertThat(SERVICE.authenticate(otherLength, NOW)).isInstanceOf(AuthenticationFailure.class);
    }

    @Test
    void aGetIsSignedAsTheKnownVector() {
        // HMAC-SHA256 computed with Python's hmac over
        // "GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:Thu, 1 Jan 2026 00:00:00 GMT\n/testaccount/jobs/job-1\napi-version:2024-07-01.20.0"
        batch.then(Step.ok(200, BatchBodies.job(JobSpec.of("job-1", "pool-1"), "active")));

        client.jobs().get("job-1");

        RecordedRequest sent = batch.requests().get(0);
        assertThat(sent.header("ocp-date")).isEqualTo("Thu, 1 Jan 2026 00:00:00 GMT");
        assertThat(sent.authorization()).isEqualTo("SharedKey testaccount:E0HmD25FHnMAsr1MhW3q5Ynzj4su9YIciRFOuU/JkVY=");
    }

    @Test
    void aPostWithABodyIsSignedAsTheKnownVector() {
        // HMAC-SHA256 computed with Python's hmac over "POST\n\n\n45\n\napplication/json; odata=minimalmetadata;
        // charset=utf-8\n\n\n\n\n\n\nocp-date:Thu, 1 Jan 2026 00:00:00 GMT\n/testaccount/jobs\napi-version:2024-07-01.20.0"
        batch.then(Step.ok(201, null));

        client.jobs().create(JobSpec.of("job-1", "pool-1"));

        RecordedRequest sent = batch.requests().get(0);
        assertThat(sent.body()).isEqualTo("{\"id\":\"job-1\",\"poolInfo\":{\"poolId\":\"pool-1\"}}");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json; odata=minimalmetadata; charset=utf-8");
        assertThat(sent.authorization()).isEqualTo("SharedKey testaccount:kyEHX7MbeWDqhK5YlCMc6pGCdpf5clnUNiww2Eam6XY=");
    }

    private static SignedRequest signed(RecordedRequest request) {
        return new SignedRequest(request.method(), request.path(), request.query(), request.headers(),
                request.bodyLength());
    }
}
