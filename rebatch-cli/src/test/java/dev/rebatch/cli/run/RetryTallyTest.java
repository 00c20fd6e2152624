package dev.rebatch.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.ListOptions;
import dev.rebatch.client.TaskCountsSnapshot;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.server.TestService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetryTallyTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();

    static BatchClient client() {
        return BatchClient.builder().endpoint(service.endpoint()).sharedKey(TestService.ACCOUNT, TestService.KEY)
                .retryPolicy(RetryPolicyProvider.noRetry()).build();
    }

    /** A real 400 from the service: a filter on a property it cannot filter. */
    static BatchServiceException badRequest() {
        try {
            client().jobs().list(ListOptions.filter("executionInfo/retryCount gt 0")).toList();
        } catch (BatchServiceException refused) {
            return refused;
        }
        throw new AssertionError("the service accepted the filter");
    }

    /** A real "no answer": nothing listens on port 9 of this machine. */
    static BatchException unreachable() {
        try {
            BatchClient.builder().endpoint("http://127.0.0.1:9").sharedKey(TestService.ACCOUNT, TestService.KEY)
                    .retryPolicy(RetryPolicyProvider.noRetry()).build().jobs().list().toList();
        } catch (BatchException failed) {
            return failed;
        }
        throw new AssertionError("something answered on port 9");
    }

    final AtomicLong now = new AtomicLong();
    final List<ListOptions> asked = new ArrayList<>();
    final Map<String, CloudTask> tasks = new LinkedHashMap<>();

    final RetryTally tally = new RetryTally(options -> {
        asked.add(options);
        now.addAndGet(Duration.ofMillis(50).toNanos()); // a listing takes a while
        return tasks.values().stream();
    }, now::get);

    void put(String id, int retries, int requeues, Instant lastModified) {
        try {
            tasks.put(id, BatchJson.mapper().readValue("{\"id\": \"" + id + "\", \"lastModified\": \"" + lastModified
                    + "\", \"executionInfo\": {\"retryCount\": " + retries + ", \"requeueCount\": " + requeues
                    + "}}", CloudTask.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TaskCountsSnapshot counts(long active, long running, long completed) {
        return new TaskCountsSnapshot(active, running, completed, completed, 0, Duration.ZERO);
    }

    @Test
    void listsOnlyWhenTheCountsChanged_atMostEveryTwoSeconds_thenOnlyWhatChanged() {
        Instant t = Instant.parse("2024-07-01T10:00:07.250Z");
        put("a", 1, 0, t);
        put("b", 0, 2, t.minusSeconds(60));
        tally.update(counts(2, 0, 0));
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).select()).isEqualTo("id,lastModified,executionInfo");
        assertThat(asked.get(0).filter()).as("the first listing takes every task").isNull();
        assertThat(tally.retries()).isEqualTo(1);
        assertThat(tally.requeues()).isEqualTo(2);

        tally.update(counts(2, 0, 0));
        assertThat(asked).as("same counts: nothing to learn").hasSize(1);

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        tally.update(counts(1, 1, 0));
        assertThat(asked).as("changed, but within two seconds of the last listing").hasSize(1);

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        put("a", 2, 0, t.plusSeconds(3));
        tally.update(counts(1, 1, 0));
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1).filter()).isEqualTo("lastModified ge datetime'2024-07-01T10:00:02Z'");
        assertThat(tally.retries()).as("a's count replaces its old one").isEqualTo(2);
        assertThat(tally.requeues()).isEqualTo(2);
    }

    @Test
    void theCountsOfAFinishedJob_areListedAtOnce_soTheLastLineAgreesWithTheSummary() {
        Instant t = Instant.parse("2024-07-01T10:00:07.250Z");
        put("a", 0, 0, t);
        tally.update(counts(1, 0, 0));
        put("a", 3, 0, t.plusSeconds(1)); // failed three times, then succeeded, within the two seconds

        tally.update(counts(0, 1, 0));
        assertThat(tally.retries()).as("still running: the listing waits its turn").isZero();
        tally.update(counts(0, 0, 1));
        assertThat(asked).hasSize(2);
        assertThat(tally.retries()).isEqualTo(3);
        tally.update(counts(0, 0, 1));
        assertThat(asked).as("once").hasSize(2);
    }

    @Test
    void aSlowListing_spacesTheNextOneOut() {
        RetryTally slow = new RetryTally(options -> {
            asked.add(options);
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            return Stream.empty();
        }, now::get);
        slow.update(counts(5, 0, 0));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        slow.update(counts(4, 1, 0));
        assertThat(asked).as("ten times the last listing's second has not passed").hasSize(1);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        slow.update(counts(3, 2, 0));
        assertThat(asked).hasSize(2);
    }

    @Test
    void aServiceThatRefusesTheFilter_isListedWhole() {
        List<ListOptions> seen = new ArrayList<>();
        RetryTally refusing = new RetryTally(options -> {
            seen.add(options);
            if (options.filter() != null) {
                throw badRequest();
            }
            return tasks.values().stream();
        }, now::get);
        put("a", 1, 0, Instant.parse("2024-07-01T10:00:00Z"));
        refusing.refresh();
        refusing.refresh();
        assertThat(seen).extracting(ListOptions::filter).containsExactly(null, "lastModified ge "
                + "datetime'2024-07-01T09:59:55Z'", null);
        refusing.refresh();
        assertThat(seen.get(3).filter()).isNull();
        assertThat(refusing.retries()).isEqualTo(1);
    }

    @Test
    void aFailedListing_keepsTheLastNumbers() {
        put("a", 3, 1, Instant.parse("2024-07-01T10:00:00Z"));
        tally.refresh();
        RetryTally failing = new RetryTally(options -> {
            throw unreachable();
        }, now::get);
        failing.refresh();
        assertThat(failing.retries()).isZero();
        assertThat(tally.retries()).isEqualTo(3);
        assertThat(tally.requeues()).isEqualTo(1);
    }

    @Test
    void theServiceTakesTheFilterOnLastModified() {
        BatchClient client = client();
        client.pools().create(PoolSpec.of("tally-pool", "local", 0));
        client.jobs().create(JobSpec.of("tally", "tally-pool"));
        client.tasks().addTasks("tally", List.of(TaskSpec.of("a", "/bin/true"), TaskSpec.of("b", "/bin/true")));
        List<ListOptions> seen = new ArrayList<>();
        List<Integer> listed = new ArrayList<>();
        RetryTally real = new RetryTally(options -> {
            seen.add(options);
            List<CloudTask> page = client.tasks().list("tally", options).toList();
            listed.add(page.size());
            return page.stream();
        }, System::nanoTime);
        real.refresh();
        real.refresh();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1).filter()).startsWith("lastModified ge datetime'");
        assertThat(listed).as("both listings answered; the second only what changed lately").containsExactly(2, 2);
        assertThat(real.retries()).isZero();
    }
}
