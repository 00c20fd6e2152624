package dev.rebatch.server.compat;

import static dev.rebatch.server.compat.BatchResponses.assertError;
import static dev.rebatch.server.compat.BatchResponses.ids;
import static dev.rebatch.server.compat.BatchResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each operation takes only the query parameters its spec operation defines (batch-operations.tsv), over real HTTP
 * with correctly signed requests: the rest are 400 UnsupportedQueryParameter naming the parameter, before anything
 * is stored or deleted.
 */
class QueryParametersPerOperationTest {

    private static final String JOB = "query-params-job";
    private static final String TASK = "query-params-task";
    private static final String POOL_INFO = "\"poolInfo\":{\"poolId\":\"pool-1\"}";

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();

    @BeforeAll
    static void start() {
        assertThat(addJob(JOB).statusCode()).isEqualTo(201);
        assertThat(http.call("POST", "/jobs/" + JOB + "/tasks")
                .body("{\"id\":\"" + TASK + "\",\"commandLine\":\"echo hi\"}").send().statusCode()).isEqualTo(201);
    }

    private static HttpResponse<String> addJob(String id) {
        return http.call("POST", "/jobs").body("{\"id\":\"" + id + "\"," + POOL_INFO + "}").send();
    }

    private static void assertUnsupported(HttpResponse<String> response, String name) {
        assertError(response, 400, "UnsupportedQueryParameter", Map.of("QueryParameterName", name));
    }

    @Test
    void filterOnAGetIsRefusedNamingIt() {
        assertUnsupported(http.call("GET", "/jobs/" + JOB).query("$filter", "state eq 'active'").send(), "$filter");
        assertThat(http.call("GET", "/jobs").query("$filter", "state eq 'active'").send().statusCode()).isEqualTo(200);
    }

    @Test
    void forceAfterSecondsIsTakenByJobDeleteButNotByTaskDelete() {
        assertUnsupported(http.call("DELETE", "/jobs/" + JOB + "/tasks/" + TASK).query("forceAfterSeconds", "30").send(),
                "forceAfterSeconds");
        assertThat(ids(http.call("GET", "/jobs/" + JOB + "/tasks").send())).contains(TASK);

        assertThat(addJob("query-params-doomed").statusCode()).isEqualTo(201);
        HttpResponse<String> deleted = http.call("DELETE", "/jobs/query-params-doomed")
                .query("forceAfterSeconds", "30").send();
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    }

    @Test
    void namesCompareCaseInsensitively() {
        assertThat(addJob("query-params-case").statusCode()).isEqualTo(201);
        HttpResponse<String> deleted = http.call("DELETE", "/jobs/query-params-case")
                .query("forceafterseconds", "30").send();
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        assertUnsupported(http.call("GET", "/jobs/" + JOB).query("MaxResults", "5").send(), "MaxResults");
    }

    @Test
    void maxresultsIsTakenByAListButNotByAGet() {
        HttpResponse<String> list = http.call("GET", "/jobs").query("maxresults", "5").send();
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertUnsupported(http.call("GET", "/jobs/" + JOB).query("maxresults", "5").send(), "maxresults");
        assertUnsupported(http.call("GET", "/jobs/" + JOB + "/tasks/" + TASK).query("maxresults", "5").send(),
                "maxresults");
    }

    @Test
    void selectIsTakenWhereTheSpecDefinesIt() {
        for (String path : new String[] {"/jobs", "/jobs/" + JOB, "/jobs/" + JOB + "/tasks",
                "/jobs/" + JOB + "/tasks/" + TASK}) {
            HttpResponse<String> response = http.call("GET", path).query("$select", "id").send();
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        }
        // Job_Add defines only timeout and api-version; refused before the job is stored.
        assertUnsupported(http.call("POST", "/jobs").query("$select", "id")
                .body("{\"id\":\"query-params-selected\"," + POOL_INFO + "}").send(), "$select");
        assertThat(ids(http.call("GET", "/jobs").send())).doesNotContain("query-params-selected");
    }

    @Test
    void timeoutAndApiVersionAreTakenEverywhere() {
        for (String[] request : new String[][] {{"GET", "/jobs"}, {"GET", "/jobs/" + JOB},
                {"GET", "/jobs/" + JOB + "/tasks/" + TASK}}) {
            HttpResponse<String> response = http.call(request[0], request[1]).query("timeout", "10").send();
            assertThat(response.statusCode()).as(String.join(" ", request) + ": " + response.body()).isEqualTo(200);
        }
    }

    @Test
    void theNextLinkOfAListIsTakenBack() {
        for (int i = 0; i < 3; i++) {
            assertThat(addJob("query-params-page-" + i).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> first = http.call("GET", "/jobs").query("maxresults", "1").send();
        String nextLink = json(first).path("odata.nextLink").asText();
        assertThat(nextLink).contains("$skiptoken=");
        URI next = URI.create(nextLink);
        SignedHttp.Call call = http.call("GET", next.getPath());
        for (String pair : next.getRawQuery().split("&")) {
            String[] nameValue = pair.split("=", 2);
            call.query(java.net.URLDecoder.decode(nameValue[0], java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(nameValue[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        HttpResponse<String> second = call.send();
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        // A skip token on an operation that does not page is no parameter of it.
        assertUnsupported(http.call("GET", "/jobs/" + JOB).query("$skiptoken", "abc").send(), "$skiptoken");
    }

    @Test
    void aPathThatIsNoOperationStillAnswers404() {
        assertError(http.call("GET", "/nowhere/at/all").query("$filter", "x eq 1").send(), 404, "ResourceNotFound",
                Map.of());
        assertUnsupported(http.call("GET", "/nowhere/at/all").query("colour", "red").send(), "colour");
    }
}
