package dev.rebatch.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every fault type against real requests to the running service, plus rule matching, determinism and the admin paths. */
class FaultInjectionTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SignedHttp http = service.http();

    @AfterEach
    void faultsOff() {
        service.faults().clear();
    }

    private static void rules(String json) {
        service.faults().replace(FaultRules.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String oneRule(String match, String fault) {
        return "{\"seed\": 42, \"rules\": [{" + match + ", \"fault\": " + fault + "}]}";
    }

    private HttpResponse<String> addJob(String id) {
        return http.send("POST", "/jobs", "{\"id\":\"" + id + "\",\"poolInfo\":{\"poolId\":\"p\"}}");
    }

    private int jobStatus(String id) {
        return http.send("GET", "/jobs/" + id, null).statusCode();
    }

    private HttpResponse<String> listJobs() {
        return http.send("GET", "/jobs", null);
    }

    private static String code(HttpResponse<String> response) throws IOException {
        return MAPPER.readTree(response.body()).get("code").asText();
    }

    private static String id() {
        return "job-" + UUID.randomUUID();
    }

    @Test
    void internalErrorIsA500WithTheBatchBody() throws Exception {
        rules(oneRule("\"operation\": \"Job_List\", \"everyNth\": 1", "{\"type\": \"internal-error\"}"));
        HttpResponse<String> response = listJobs();
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(code(response)).isEqualTo("InternalError");
        assertThat(MAPPER.readTree(response.body()).at("/message/value").asText())
                .contains("RequestId:" + response.headers().firstValue("request-id").orElseThrow());
        assertThat(service.faults().counter().count(FaultType.INTERNAL_ERROR)).isPositive();
    }

    @Test
    void serverBusyIsA503WithRetryAfterSeconds() throws Exception {
        rules(oneRule("\"operation\": \"Job_List\", \"everyNth\": 1",
                "{\"type\": \"server-busy\", \"retryAfterSeconds\": 7}"));
        HttpResponse<String> response = listJobs();
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(code(response)).isEqualTo("ServerBusy");
        assertThat(response.headers().firstValue("Retry-After")).contains("7");
    }

    @Test
    void tooManyRequestsIsA429WithRetryAfterSecondsOrHttpDate() throws Exception {
        rules(oneRule("\"operation\": \"Job_List\", \"everyNth\": 1",
                "{\"type\": \"too-many-requests\", \"retryAfterSeconds\": 3}"));
        HttpResponse<String> seconds = listJobs();
        assertThat(seconds.statusCode()).isEqualTo(429);
        assertThat(code(seconds)).isEqualTo("TooManyRequests");
        assertThat(seconds.headers().firstValue("Retry-After")).contains("3");

        rules(oneRule("\"operation\": \"Job_List\", \"everyNth\": 1",
                "{\"type\": \"too-many-requests\", \"retryAfterSeconds\": 60, \"retryAfterHttpDate\": true}"));
        HttpResponse<String> date = listJobs();
        assertThat(date.statusCode()).isEqualTo(429);
        String retryAfter = date.headers().firstValue("Retry-After").orElseThrow();
        assertThat(retryAfter).matches("[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT");
        ZonedDateTime when = ZonedDateTime.parse(retryAfter, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(when.toInstant()).isAfter(java.time.Instant.now().plusSeconds(30));
    }

    @Test
    void latencyDelaysTheResponseButItSucceeds() {
        rules(oneRule("\"operation\": \"Job_List\", \"everyNth\": 1", "{\"type\": \"latency\", \"latencyMillis\": 250}"));
        long start = System.nanoTime();
        HttpResponse<String> response = listJobs();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tookMillis).isGreaterThanOrEqualTo(250);
        assertThat(service.faults().counter().count(FaultType.LATENCY)).isPositive();
    }

    @Test
    void resetBeforeDropsTheConnectionAndStoresNothing() {
        rules(oneRule("\"operation\": \"Job_Add\", \"everyNth\": 1", "{\"type\": \"reset-before\"}"));
        String id = id();
        assertThatThrownBy(() -> addJob(id)).isInstanceOf(UncheckedIOException.class);
        service.faults().clear();
        assertThat(jobStatus(id)).isEqualTo(404);
        assertThat(service.faults().counter().count(FaultType.RESET_BEFORE)).isPositive();
    }

    @Test
    void dropAfterCommitLosesTheResponseButTheJobIsStored() {
        rules(oneRule("\"operation\": \"Job_Add\", \"everyNth\": 1", "{\"type\": \"drop-after-commit\"}"));
        String id = id();
        assertThatThrownBy(() -> addJob(id)).isInstanceOf(UncheckedIOException.class);
        service.faults().clear();
        assertThat(jobStatus(id)).as("the lost-response case: the job was created").isEqualTo(200);
        assertThat(service.faults().counter().count(FaultType.DROP_AFTER_COMMIT)).isPositive();
    }

    @Test
    void hangOutlastsTheClientsTimeout() {
        rules(oneRule("\"operation\": \"Job_List\", \"everyNth\": 1", "{\"type\": \"hang\", \"hangMillis\": 2000}"));
        assertThatThrownBy(() -> http.call("GET", "/jobs").timeout(Duration.ofMillis(300)).send())
                .hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void everyNthFiresExactlyOnTheNthMatchingRequest() {
        rules(oneRule("\"operation\": \"Job_List\", \"everyNth\": 3", "{\"type\": \"internal-error\"}"));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            statuses.add(listJobs().statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 500, 200, 200, 500, 200);
    }

    @Test
    void aSeededProbabilityFiresTheSamePatternEveryRun() {
        String json = oneRule("\"operation\": \"Job_List\", \"probability\": 0.5", "{\"type\": \"internal-error\"}");
        rules(json);
        List<Integer> first = statuses(20);
        rules(json);
        List<Integer> second = statuses(20);
        assertThat(second).isEqualTo(first);
        assertThat(first).contains(200, 500);
        rules(json.replace("\"seed\": 42", "\"seed\": 7"));
        assertThat(statuses(20)).as("another seed, another pattern").isNotEqualTo(first);
    }

    private List<Integer> statuses(int n) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(listJobs().statusCode());
        }
        return statuses;
    }

    @Test
    void rulesMatchByOperationPathGlobMethodAndAccount() {
        rules("{\"seed\": 1, \"rules\": [{\"path\": \"/jobs/*\", \"method\": \"GET\", \"everyNth\": 1,"
                + " \"fault\": {\"type\": \"server-busy\"}}]}");
        assertThat(jobStatus("nope")).isEqualTo(503);
        assertThat(listJobs().statusCode()).as("/jobs is not /jobs/*").isEqualTo(200);

        rules("{\"seed\": 1, \"rules\": [{\"path\": \"/jobs/**\", \"everyNth\": 1,"
                + " \"fault\": {\"type\": \"server-busy\"}}]}");
        assertThat(http.send("GET", "/jobs/j/tasks", null).statusCode()).isEqualTo(503);

        rules("{\"seed\": 1, \"rules\": [{\"operation\": \"Job_Get\", \"account\": \"" + TestService.OTHER_ACCOUNT
                + "\", \"everyNth\": 1, \"fault\": {\"type\": \"server-busy\"}}]}");
        assertThat(jobStatus("nope")).as("another account's rule").isEqualTo(404);
        SignedHttp other = new SignedHttp(service.endpoint(), TestService.OTHER_ACCOUNT, TestService.OTHER_KEY);
        assertThat(other.send("GET", "/jobs/nope", null).statusCode()).isEqualTo(503);
    }

    @Test
    void unauthenticatedRequestsAreNotFaulted() {
        rules(oneRule("\"operation\": \"Job_List\", \"everyNth\": 1", "{\"type\": \"internal-error\"}"));
        long before = service.faults().counter().total();
        assertThat(http.call("GET", "/jobs").unsigned().send().statusCode()).isEqualTo(403);
        assertThat(service.faults().counter().total()).isEqualTo(before);
    }

    @Test
    void theAdminEndpointNeedsCredentialsAndReplacesAndClearsRules() throws Exception {
        assertThat(http.call("GET", FaultAdminRoutes.PATH).query("api-version", null).unsigned().send().statusCode())
                .isEqualTo(403);
        String json = oneRule("\"operation\": \"Job_List\", \"everyNth\": 2", "{\"type\": \"internal-error\"}");
        HttpResponse<String> put = http.call("PUT", FaultAdminRoutes.PATH).query("api-version", null).body(json).send();
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(listJobs().statusCode()).isEqualTo(200);
        assertThat(listJobs().statusCode()).isEqualTo(500);

        HttpResponse<String> get = http.call("GET", FaultAdminRoutes.PATH).query("api-version", null).send();
        JsonNode state = MAPPER.readTree(get.body());
        assertThat(state.get("enabled").asBoolean()).isTrue();
        assertThat(state.at("/rules/rules/0/operation").asText()).isEqualTo("Job_List");
        assertThat(state.at("/counters/byType/internal-error").asLong()).isPositive();
        assertThat(state.at("/counters/byRule/0").asLong()).isPositive();

        HttpResponse<String> invalid = http.call("PUT", FaultAdminRoutes.PATH).query("api-version", null)
                .body("{\"rules\": [{\"operation\": \"Job_List\", \"fault\": {\"type\": \"internal-error\"}}]}").send();
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("rules[0]").contains("everyNth");

        assertThat(http.call("DELETE", FaultAdminRoutes.PATH).send().statusCode()).isEqualTo(204);
        assertThat(listJobs().statusCode()).isEqualTo(200);
        assertThat(listJobs().statusCode()).isEqualTo(200);
        assertThat(service.faults().enabled()).isFalse();
    }

    @Test
    void invalidRulesNameTheRuleAndField() {
        assertThatThrownBy(() -> FaultRules.parse(oneRule("\"path\": \"/jobs\", \"everyNth\": 1",
                "{\"type\": \"explode\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FaultRulesException.class).hasMessageContaining("rules[0].fault.type");
        assertThatThrownBy(() -> FaultRules.parse(oneRule("\"path\": \"/jobs\", \"probability\": 2",
                "{\"type\": \"hang\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FaultRulesException.class).hasMessageContaining("rules[0].probability");
        assertThatThrownBy(() -> FaultRules.parse(oneRule("\"path\": \"/jobs\", \"everynth\": 1",
                "{\"type\": \"hang\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FaultRulesException.class).hasMessageContaining("rules[0].everynth");
        assertThatThrownBy(() -> FaultRules.parse(oneRule("\"path\": \"/jobs\", \"everyNth\": 1",
                "{\"type\": \"latency\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FaultRulesException.class).hasMessageContaining("rules[0].fault.latencyMillis");
    }
}
