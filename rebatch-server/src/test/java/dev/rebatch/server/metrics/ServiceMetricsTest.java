package dev.rebatch.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.faults.FaultRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import dev.rebatch.server.TestService;
import dev.rebatch.server.http.AccountThrottle;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.store.BatchStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus scrape counts answers by status (throttles included) and is closed to callers without a key. */
class ServiceMetricsTest {

    @TempDir
    Path dataDir;

    @Test
    void answersAreCountedByStatusAndTheScrapeNeedsCredentials() throws Exception {
        ServiceLimits tight = new ServiceLimits(new AccountThrottle.Rate(0.01, 2), AccountThrottle.DEFAULT_NODE_AGENT_RATE,
                100);
        try (TestService service = new TestService(BatchStores.open(null, dataDir), tight)) {
            var http = service.http();
            assertThat(http.send("GET", "/jobs", null).statusCode()).isEqualTo(200);
            assertThat(http.send("GET", "/jobs/missing", null).statusCode()).isEqualTo(404);
            assertThat(http.send("GET", "/jobs", null).statusCode()).isEqualTo(429);

            HttpResponse<String> scrape = http.send("GET", ServiceMetrics.PATH, null);

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body())
                    .contains("rebatch_responses_total{status=\"200\"} 1.0")
                    .contains("rebatch_responses_total{status=\"404\"} 1.0")
                    .contains("rebatch_responses_total{status=\"429\"} 1.0")
                    .contains("rebatch_faults_injected_total{type=\"internal-error\"} 0.0");
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.endpoint() + ServiceMetrics.PATH)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(403);
            assertThat(anonymous.body()).doesNotContain("rebatch_responses_total");
        }
    }

    @Test
    void aConnectionCutByAFaultIsCountedAsAFaultNotAsAnAnswer() throws Exception {
        FaultRules resetJobList = FaultRules.parse(("{\"seed\":1,\"rules\":[{\"path\":\"/jobs\",\"method\":\"GET\","
                + "\"everyNth\":1,\"fault\":{\"type\":\"reset-before\"}}]}").getBytes(StandardCharsets.UTF_8));
        try (TestService service = new TestService(BatchStores.open(null, dataDir), ServiceLimits.DEFAULTS,
                new FaultInjector(resetJobList, Clock.systemUTC()))) {
            var http = service.http();
            assertThatThrownBy(() -> http.send("GET", "/jobs", null)).hasRootCauseInstanceOf(IOException.class);

            String scrape = http.send("GET", ServiceMetrics.PATH, null).body();

            // The JDK client re-sends a GET once by itself when its connection is reset, so the fault fired once or twice.
            assertThat(scrape).containsPattern("rebatch_faults_injected_total\\{type=\"reset-before\"} [12]\\.0")
                    .doesNotContain("rebatch_responses_total{status=\"200\"}");
        }
    }
}
