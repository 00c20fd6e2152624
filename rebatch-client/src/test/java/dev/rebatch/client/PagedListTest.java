package dev.rebatch.client;

import static dev.rebatch.client.FakeBatch.assertOneCall;
import static dev.rebatch.client.FakeBatch.assertSeparateCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.client.fake.ScriptedBatchEndpoint;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.RecordedRequest;
import dev.rebatch.client.fake.ScriptedBatchEndpoint.Step;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.retry.classify.Category;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** List calls as lazy streams that follow odata.nextLink, page by page, and only to the client's own endpoint. */
class PagedListTest {

    private FakeBatch batch;

    @BeforeEach
    void startEndpoint() {
        batch = FakeBatch.start();
    }

    @AfterEach
    void closeEndpoint() {
        batch.close();
    }

    @Test
    void followsNextLinksAcrossPagesAndRequestsEachPageOnlyWhenItIsNeeded() {
        batch.then(
                Step.ok(200, BatchBodies.page(link("/jobs?api-version=2024-07-01.20.0&$skiptoken=p2&maxresults=2"),
                        job("job-1"), job("job-2"))),
                Step.ok(200, BatchBodies.page(link("/jobs?api-version=2024-07-01.20.0&$skiptoken=p3&maxresults=2"),
                        job("job-3"), job("job-4"))),
                Step.ok(200, BatchBodies.page(null, job("job-5"))));

        Stream<CloudJob> jobs = batch.client().jobs().list(
                ListOptions.filter("state eq 'active'").withMaxResults(2));
        Iterator<CloudJob> iterator = jobs.iterator();

        assertThat(batch.requests()).as("nothing is fetched before the stream is consumed").isEmpty();
        List<String> seen = new ArrayList<>();
        seen.add(iterator.next().id());
        seen.add(iterator.next().id());
        assertThat(batch.requests()).as("page 1 holds both items").hasSize(1);
        assertThat(iterator.hasNext()).isTrue();
        assertThat(batch.requests()).as("page 2 is fetched once page 1 is used up").hasSize(2);
        iterator.forEachRemaining(job -> seen.add(job.id()));

        assertThat(seen).containsExactly("job-1", "job-2", "job-3", "job-4", "job-5");
        List<RecordedRequest> requests = batch.requests();
        assertThat(requests).extracting(RecordedRequest::describe).containsOnly("GET /jobs").hasSize(3);
        assertThat(query(requests.get(0))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "api-version", "2024-07-01.20.0", "$filter", "state eq 'active'", "maxresults", "2"));
        assertThat(query(requests.get(1))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "api-version", "2024-07-01.20.0", "$skiptoken", "p2", "maxresults", "2"));
        assertThat(query(requests.get(2))).containsEntry("$skiptoken", "p3");
        assertThat(requests.get(1).query()).as("api-version is sent once").containsOnlyOnce("api-version");
        // Each page is a call of its own.
        assertSeparateCalls(requests.toArray(RecordedRequest[]::new));
    }

    @Test
    void aStreamThatStopsEarlyNeverFetchesTheNextPage() {
        batch.then(Step.ok(200, BatchBodies.page(link("/jobs?$skiptoken=p2"), job("job-1"), job("job-2"))));

        List<CloudJob> first = batch.client().jobs().list().limit(2).toList();

        assertThat(first).extracting(CloudJob::id).containsExactly("job-1", "job-2");
        assertThat(batch.requests()).hasSize(1);
    }

    @Test
    void aFailingPageIsRetriedByItselfUnderItsOwnId() {
        batch.then(
                Step.ok(200, BatchBodies.page(link("/jobs?$skiptoken=p2"), job("job-1"))),
                Step.error(500, "InternalError", "Server encountered an internal error."),
                Step.ok(200, BatchBodies.page(null, job("job-2"))));

        List<CloudJob> jobs = batch.client().jobs().list().toList();

        assertThat(jobs).extracting(CloudJob::id).containsExactly("job-1", "job-2");
        List<RecordedRequest> requests = batch.requests();
        assertThat(requests).hasSize(3);
        assertThat(query(requests.get(0))).doesNotContainKey("$skiptoken");
        assertThat(query(requests.get(1))).containsEntry("$skiptoken", "p2");
        assertThat(query(requests.get(2))).containsEntry("$skiptoken", "p2");
        assertOneCall(requests.subList(1, 3));
        assertSeparateCalls(requests.get(0), requests.get(1));
        assertThat(batch.events).extracting(event -> event.outcome().category())
                .containsExactly(Category.SUCCESS, Category.SERVER, Category.SUCCESS);
        batch.assertBackoffWithinPolicy(batch.retries());
    }

    @Test
    void refusesANextLinkToAnotherPortAndSendsNothingThere() {
        try (ScriptedBatchEndpoint elsewhere = ScriptedBatchEndpoint.start()) {
            String foreign = "http://127.0.0.1:" + elsewhere.port() + "/jobs?$skiptoken=p2";
            batch.then(Step.ok(200, BatchBodies.page(foreign, job("job-1"), job("job-2"))));
            Iterator<CloudJob> jobs = batch.client().jobs().list().iterator();

            // The page that was received is delivered; the link is refused when the next page is needed.
            assertThat(jobs.next().id()).isEqualTo("job-1");
            assertThat(jobs.next().id()).isEqualTo("job-2");
            assertThatThrownBy(jobs::hasNext)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("odata.nextLink points at http://127.0.0.1:" + elsewhere.port())
                    .hasMessageContaining("not following it");
            assertThat(elsewhere.requests()).isEmpty();
            assertThat(batch.requests()).hasSize(1);
        }
    }

    @Test
    void refusesANextLinkToAnotherHost() {
        String foreign = "http://attacker.example:" + batch.endpoint.port() + "/jobs?$skiptoken=p2";
        batch.then(Step.ok(200, BatchBodies.page(foreign, job("job-1"))));

        assertThatThrownBy(() -> batch.client().jobs().list().toList())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("attacker.example");
        assertThat(batch.requests()).hasSize(1);
    }

    private String link(String pathAndQuery) {
        return batch.endpoint.url() + pathAndQuery;
    }

    private static String job(String id) {
        return BatchBodies.job(JobSpec.of(id, "pool-1"), "active");
    }

    /** The request's query, names and values decoded. */
    private static Map<String, String> query(RecordedRequest request) {
        Map<String, String> parameters = new TreeMap<>();
        for (String pair : request.query().split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
