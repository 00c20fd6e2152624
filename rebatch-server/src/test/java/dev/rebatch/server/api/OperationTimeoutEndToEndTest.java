package dev.rebatch.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.faults.FaultRules;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code timeout} query parameter on the running service: a request that runs out of it before it changed
 * anything answers 500 OperationTimedOut, and nothing of it is stored.
 */
class OperationTimeoutEndToEndTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SignedHttp http = service.http();

    @AfterEach
    void faultsOff() {
        service.faults().clear();
    }

    @Test
    void aCreateWithNoTimeLeftTimesOutAndStoresNothing() throws Exception {
        String id = "job-" + UUID.randomUUID();

        HttpResponse<String> response = http.call("POST", "/jobs").query("timeout", "0").body(job(id)).send();

        assertTimedOut(response);
        assertThat(http.send("GET", "/jobs/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aReadWithNoTimeLeftTimesOut() throws Exception {
        assertTimedOut(http.call("GET", "/jobs").query("timeout", "0").send());
        assertThat(http.call("GET", "/jobs").query("timeout", "30").send().statusCode()).isEqualTo(200);
    }

    @Test
    void theTimeoutCountsFromArrivalSoAHangOutlastingItStoresNothing() throws Exception {
        service.faults().replace(FaultRules.parse(("{\"seed\": 1, \"rules\": [{\"operation\": \"Job_Add\", "
                + "\"everyNth\": 1, \"fault\": {\"type\": \"hang\", \"hangMillis\": 1500}}]}")
                .getBytes(StandardCharsets.UTF_8)));
        String late = "job-" + UUID.randomUUID();
        String inTime = "job-" + UUID.randomUUID();

        assertTimedOut(http.call("POST", "/jobs").query("timeout", "1").body(job(late)).send());
        assertThat(http.call("POST", "/jobs").query("timeout", "5").body(job(inTime)).send().statusCode())
                .as("the same hang within a longer timeout").isEqualTo(201);

        service.faults().clear();
        assertThat(http.send("GET", "/jobs/" + late, null).statusCode()).isEqualTo(404);
        assertThat(http.send("GET", "/jobs/" + inTime, null).statusCode()).isEqualTo(200);
    }

    private static String job(String id) {
        return "{\"id\":\"" + id + "\",\"poolInfo\":{\"poolId\":\"pool\"}}";
    }

    private static void assertTimedOut(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.get("code").asText()).isEqualTo("OperationTimedOut");
        assertThat(body.at("/message/value").asText()).startsWith("Operation could not be completed")
                .contains("RequestId:").doesNotContain("Exception");
    }
}
