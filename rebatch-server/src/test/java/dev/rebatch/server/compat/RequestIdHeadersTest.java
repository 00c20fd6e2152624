package dev.rebatch.server.compat;

import static dev.rebatch.server.compat.BatchResponses.assertRequestId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code request-id} and {@code client-request-id} (wire-notes 1.4): every response carries a fresh GUID
 * request-id, which typed clients parse as a UUID; the client's id comes back only when
 * {@code return-client-request-id} is true.
 */
class RequestIdHeadersTest {

    private static final String JOB = "request-ids";

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();

    @BeforeAll
    static void start() {
        assertThat(http.call("POST", "/jobs").body("{\"id\":\"" + JOB + "\",\"poolInfo\":{\"poolId\":\"p\"}}").send()
                .statusCode()).isEqualTo(201);
    }

    /** One request per kind of outcome: successes of each status, a 304, and refusals from each layer. */
    private static List<SignedHttp.Call> variedRequests() {
        String etag = http.call("GET", "/jobs/" + JOB).send().headers().firstValue("ETag").orElseThrow();
        return List.of(
                http.call("GET", "/jobs"),
                http.call("POST", "/jobs/" + JOB + "/tasks").body("{\"id\":\"t-" + UUID.randomUUID()
                        + "\",\"commandLine\":\"echo\"}"),
                http.call("GET", "/jobs/" + JOB).header("If-None-Match", etag),
                http.call("PATCH", "/jobs/" + JOB).body("{\"priority\":1}"),
                http.call("GET", "/jobs/missing"),
                http.call("POST", "/jobs").body("{"),
                http.call("GET", "/jobs").query("colour", "red"),
                http.call("GET", "/jobs").unsigned(),
                http.call("GET", "/certificates"),
                http.call("POST", "/jobs").body("{\"displayName\":\"" + "x".repeat(1024 * 1024) + "\"}").chunked());
    }

    @Test
    void everyResponseHasAFreshGuidRequestId() {
        Set<String> seen = new HashSet<>();
        Set<Integer> statuses = new HashSet<>();
        for (SignedHttp.Call call : variedRequests()) {
            HttpResponse<String> response = call.send();
            statuses.add(response.statusCode());
            assertThat(seen.add(assertRequestId(response))).as("request-id repeated").isTrue();
        }
        assertThat(statuses).contains(200, 201, 304, 400, 403, 404, 413, 501);
    }

    @Test
    void theClientRequestIdIsEchoedOnlyWhenAskedFor() {
        for (SignedHttp.Call call : variedRequests()) {
            String clientRequestId = UUID.randomUUID().toString();
            HttpResponse<String> response = call.header("client-request-id", clientRequestId)
                    .header("return-client-request-id", "true").send();
            assertThat(response.headers().firstValue("client-request-id")).as("%s", response.statusCode())
                    .hasValue(clientRequestId);
            assertThat(assertRequestId(response)).isNotEqualTo(clientRequestId);
        }
        for (SignedHttp.Call call : variedRequests()) {
            HttpResponse<String> response = call.header("client-request-id", UUID.randomUUID().toString()).send();
            assertThat(response.headers().firstValue("client-request-id")).as("%s", response.statusCode()).isEmpty();
        }
        for (SignedHttp.Call call : variedRequests()) {
            HttpResponse<String> response = call.header("client-request-id", UUID.randomUUID().toString())
                    .header("return-client-request-id", "false").send();
            assertThat(response.headers().firstValue("client-request-id")).as("%s", response.statusCode()).isEmpty();
        }
    }

    @Test
    void theEchoIsCaseInsensitiveInTheFlagAndKeepsTheClientsSpelling() {
        String clientRequestId = "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0";
        HttpResponse<String> response = http.call("GET", "/jobs").header("client-request-id", clientRequestId)
                .header("return-client-request-id", "True").send();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("client-request-id")).hasValue(clientRequestId);
    }
}
