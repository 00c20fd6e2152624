package dev.rebatch.server.compat;

import static dev.rebatch.server.compat.BatchResponses.assertError;
import static dev.rebatch.server.compat.BatchResponses.ids;
import static dev.rebatch.server.compat.BatchResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests the service must refuse, over real HTTP with correctly signed requests: each refusal is the right Batch
 * error, in the OData error shape, names what was wrong, leaks nothing internal, and stores nothing.
 */
class BadInputTest {

    /** The job the task cases add to; created once, never changed. */
    private static final String JOB = "bad-input-tasks";
    private static final String POOL_INFO = "\"poolInfo\":{\"poolId\":\"pool-1\"}";

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();

    @BeforeAll
    static void start() {
        assertThat(addJob("{\"id\":\"" + JOB + "\"," + POOL_INFO + "}").statusCode()).isEqualTo(201);
    }

    private static HttpResponse<String> addJob(String body) {
        return http.call("POST", "/jobs").body(body).send();
    }

    private static HttpResponse<String> addTask(String body) {
        return http.call("POST", "/jobs/" + JOB + "/tasks").body(body).send();
    }

    private static Set<String> jobIds() {
        return ids(http.call("GET", "/jobs").send());
    }

    private static Set<String> taskIds() {
        return ids(http.call("GET", "/jobs/" + JOB + "/tasks").send());
    }

    /** Sends a request that must be refused and asserts it stored no job and no task. */
    private static HttpResponse<String> refusedStoringNothing(Supplier<HttpResponse<String>> request) {
        Set<String> jobsBefore = jobIds();
        Set<String> tasksBefore = taskIds();
        HttpResponse<String> response = request.get();
        assertThat(jobIds()).isEqualTo(jobsBefore);
        assertThat(taskIds()).isEqualTo(tasksBefore);
        return response;
    }

    private static Map<String, String> property(String name) {
        return Map.of("PropertyName", name);
    }

    private static Map<String, String> queryParameter(String name) {
        return Map.of("QueryParameterName", name);
    }

    // ---- bodies ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":\"broken\",",
        "not json",
        "{\"id\":\"trailing\"," + POOL_INFO + "} {}",
        "{\"id\":\"dup\",\"id\":\"dup2\"," + POOL_INFO + "}",
        "[{\"id\":\"in-array\"," + POOL_INFO + "}]",
        "\"just a string\""})
    void aBodyThatIsNotOneJsonObjectIsInvalidRequestBody(String body) {
        HttpResponse<String> response = refusedStoringNothing(() -> addJob(body));
        assertThat(assertError(response, 400, "InvalidRequestBody", Map.of()).get("Reason")).isNotBlank();
    }

    @Test
    void wrongTypesAreInvalidPropertyValueNamingTheProperty() {
        assertError(refusedStoringNothing(() -> addJob("{\"id\":\"typed\",\"priority\":\"high\"," + POOL_INFO + "}")),
                400, "InvalidPropertyValue", property("priority"));
        assertError(refusedStoringNothing(() -> addJob("{\"id\":5," + POOL_INFO + "}")),
                400, "InvalidPropertyValue", property("id"));
        assertError(refusedStoringNothing(() -> addTask("{\"id\":\"t\",\"commandLine\":7}")),
                400, "InvalidPropertyValue", property("commandLine"));
    }

    @Test
    void missingRequiredPropertiesAreNamed() {
        assertError(refusedStoringNothing(() -> addJob("{" + POOL_INFO + "}")),
                400, "MissingRequiredProperty", property("id"));
        assertError(refusedStoringNothing(() -> addJob("{\"id\":\"no-pool\"}")),
                400, "MissingRequiredProperty", property("poolInfo"));
        assertError(refusedStoringNothing(() -> addTask("{\"id\":\"no-command\"}")),
                400, "MissingRequiredProperty", property("commandLine"));
    }

    static List<String> invalidIds() {
        return List.of("", "a".repeat(65), "a b", "a/b", "jöb", "日本");
    }

    @ParameterizedTest
    @MethodSource("invalidIds")
    void invalidIdsAreInvalidPropertyValue(String id) {
        String json = "\"" + id + "\"";
        assertError(refusedStoringNothing(() -> addJob("{\"id\":" + json + "," + POOL_INFO + "}")),
                400, "InvalidPropertyValue", Map.of("PropertyName", "id", "PropertyValue", id));
        assertError(refusedStoringNothing(() -> addTask("{\"id\":" + json + ",\"commandLine\":\"echo\"}")),
                400, "InvalidPropertyValue", Map.of("PropertyName", "id", "PropertyValue", id));
    }

    @Test
    void idsDifferingOnlyInCaseAreTheSameResource() {
        assertThat(addJob("{\"id\":\"Case-Job\"," + POOL_INFO + "}").statusCode()).isEqualTo(201);
        assertError(refusedStoringNothing(() -> addJob("{\"id\":\"case-JOB\"," + POOL_INFO + "}")),
                409, "JobExists", Map.of());
        assertThat(jobIds()).contains("Case-Job").doesNotContain("case-JOB");

        assertThat(addTask("{\"id\":\"Case-Task\",\"commandLine\":\"echo\"}").statusCode()).isEqualTo(201);
        assertError(refusedStoringNothing(() -> addTask("{\"id\":\"CASE-task\",\"commandLine\":\"echo\"}")),
                409, "TaskExists", Map.of());
        assertThat(taskIds()).contains("Case-Task").doesNotContain("CASE-task");
    }

    @Test
    void anUnknownPropertyIsUnsupportedProperty() {
        assertError(refusedStoringNothing(() -> addJob("{\"id\":\"extra\",\"colour\":\"red\"," + POOL_INFO + "}")),
                400, "UnsupportedProperty", property("colour"));
        assertError(refusedStoringNothing(() -> addTask("{\"id\":\"extra\",\"commandLine\":\"echo\",\"colour\":1}")),
                400, "UnsupportedProperty", property("colour"));
    }

    // ---- size limits -----------------------------------------------------------------------------------------

    private static String overOneMegabyte() {
        return "{\"id\":\"too-big\"," + POOL_INFO + ",\"displayName\":\"" + "x".repeat(1024 * 1024) + "\"}";
    }

    @Test
    void aBodyOverOneMegabyteIsRequestBodyTooLargeWithContentLength() {
        assertError(refusedStoringNothing(() -> addJob(overOneMegabyte())), 413, "RequestBodyTooLarge",
                Map.of("MaxLimit", "1048576"));
    }

    @Test
    void aChunkedBodyOverOneMegabyteIsRequestBodyTooLarge() {
        assertError(refusedStoringNothing(() -> http.call("POST", "/jobs").body(overOneMegabyte()).chunked().send()),
                413, "RequestBodyTooLarge", Map.of("MaxLimit", "1048576"));
    }

    private static String task(String id) {
        return "{\"id\":\"" + id + "\",\"commandLine\":\"echo " + id + "\"}";
    }

    private static HttpResponse<String> addCollection(List<String> tasks) {
        return http.call("POST", "/jobs/" + JOB + "/addtaskcollection")
                .body("{\"value\":[" + String.join(",", tasks) + "]}").send();
    }

    @Test
    void aCollectionOfMoreThan100TasksIsRefusedWhole() {
        List<String> tasks = IntStream.range(0, 101).mapToObj(i -> task("many-" + i)).toList();
        assertError(refusedStoringNothing(() -> addCollection(tasks)), 400, "InvalidPropertyValue", property("value"));
    }

    @Test
    void aCollectionStoresItsValidTasksAndRefusesEachInvalidOne() {
        List<String> tasks = new ArrayList<>(List.of(task("mix-ok-1"), "{\"id\":\"mix-no-command\"}",
                task("mix ok"), task("mix-ok-2"), "{\"id\":\"mix-extra\",\"commandLine\":\"echo\",\"colour\":1}",
                task("MIX-OK-1")));
        Set<String> before = taskIds();

        HttpResponse<String> response = addCollection(tasks);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, JsonNode> results = new HashMap<>();
        json(response).path("value").forEach(result -> results.put(result.path("taskId").asText(), result));
        assertThat(results.get("mix-ok-1").path("status").asText()).isEqualTo("success");
        assertThat(results.get("mix-ok-2").path("status").asText()).isEqualTo("success");
        Map<String, String> expectedCodes = Map.of("mix-no-command", "MissingRequiredProperty",
                "mix ok", "InvalidPropertyValue", "mix-extra", "UnsupportedProperty", "MIX-OK-1", "TaskExists");
        expectedCodes.forEach((taskId, code) -> {
            JsonNode result = results.get(taskId);
            assertThat(result.path("status").asText()).as(taskId).isEqualTo("clienterror");
            assertThat(result.path("error").path("code").asText()).as(taskId).isEqualTo(code);
            assertThat(result.path("error").path("message").path("value").asText()).contains("\nRequestId:");
        });
        assertThat(results.get("mix-no-command").path("error").path("values").toString()).contains("commandLine");
        Set<String> added = taskIds().stream().filter(id -> !before.contains(id)).collect(Collectors.toSet());
        assertThat(added).containsExactlyInAnyOrder("mix-ok-1", "mix-ok-2");
    }

    // ---- query parameters and headers ------------------------------------------------------------------------

    @Test
    void anUnknownQueryParameterIsUnsupportedQueryParameter() {
        assertError(http.call("GET", "/jobs").query("colour", "red").send(), 400, "UnsupportedQueryParameter",
                queryParameter("colour"));
        assertError(refusedStoringNothing(() -> http.call("POST", "/jobs").query("colour", "red")
                .body("{\"id\":\"query-job\"," + POOL_INFO + "}").send()), 400, "UnsupportedQueryParameter",
                queryParameter("colour"));
    }

    @Test
    void aMissingApiVersionIsMissingRequiredQueryParameter() {
        assertError(refusedStoringNothing(() -> http.call("POST", "/jobs").query("api-version", null)
                .body("{\"id\":\"no-version\"," + POOL_INFO + "}").send()),
                400, "MissingRequiredQueryParameter", queryParameter("api-version"));
    }

    @Test
    void anUnsupportedApiVersionIsUnsupportedRequestVersion() {
        assertError(refusedStoringNothing(() -> http.call("POST", "/jobs").query("api-version", "2019-08-01.10.0")
                .body("{\"id\":\"old-version\"," + POOL_INFO + "}").send()),
                400, "UnsupportedRequestVersion", Map.of("QueryParameterName", "api-version",
                        "QueryParameterValue", "2019-08-01.10.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "99999999999"})
    void maxresultsOutsideOneToAThousandIsOutOfRange(String value) {
        assertError(http.call("GET", "/jobs").query("maxresults", value).send(), 400,
                "OutOfRangeQueryParameterValue", Map.of("QueryParameterName", "maxresults", "QueryParameterValue", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "", "1.5"})
    void maxresultsThatIsNotANumberIsInvalid(String value) {
        assertError(http.call("GET", "/jobs/" + JOB + "/tasks").query("maxresults", value).send(), 400,
                "InvalidQueryParameterValue", Map.of("QueryParameterName", "maxresults", "QueryParameterValue", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"state eq", "colour eq 'red'", "state eq 'active' and", "(state eq 'active'"})
    void aBadFilterIsInvalidQueryParameterValueNamingFilter(String filter) {
        assertError(http.call("GET", "/jobs").query("$filter", filter).send(), 400, "InvalidQueryParameterValue",
                Map.of("QueryParameterName", "$filter", "QueryParameterValue", filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-guid", "{9C4D50EE-2D56-4CD3-8152-34347DC9F2B0}", "9C4D50EE2D564CD3815234347DC9F2B0"})
    void aBadClientRequestIdIsInvalidHeaderValue(String clientRequestId) {
        HttpResponse<String> response = refusedStoringNothing(() -> http.call("POST", "/jobs")
                .header("client-request-id", clientRequestId).header("return-client-request-id", "true")
                .body("{\"id\":\"bad-header\"," + POOL_INFO + "}").send());
        assertError(response, 400, "InvalidHeaderValue",
                Map.of("HeaderName", "client-request-id", "HeaderValue", clientRequestId));
        // Echoing a malformed id would hand a typed client (UUID) a header it cannot parse.
        assertThat(response.headers().firstValue("client-request-id")).isEmpty();
    }

    // ---- paths and credentials -------------------------------------------------------------------------------

    @Test
    void aSpecOperationRebatchLacksIsNotImplementedNamingIt() {
        assertError(http.call("GET", "/certificates").send(), 501, "NotImplemented",
                Map.of("OperationId", "Certificate_List"));
    }

    @Test
    void aPathOutsideTheSpecIsResourceNotFound() {
        assertError(http.call("GET", "/no/such/thing").send(), 404, "ResourceNotFound", Map.of());
        assertError(refusedStoringNothing(() -> http.call("POST", "/jobz").body("{}").send()), 404,
                "ResourceNotFound", Map.of());
    }

    @Test
    void aRequestWithoutCredentialsIsAuthenticationFailedAndShowsNoData() {
        HttpResponse<String> list = http.call("GET", "/jobs").unsigned().send();
        assertThat(assertError(list, 403, "AuthenticationFailed", Map.of())).containsKey("AuthenticationErrorDetail");
        assertThat(list.body()).doesNotContain(JOB).doesNotContain("\"value\":[");

        assertThat(assertError(refusedStoringNothing(() -> http.call("POST", "/jobs").unsigned()
                .body("{\"id\":\"anonymous\"," + POOL_INFO + "}").send()), 403, "AuthenticationFailed", Map.of()))
                .containsKey("AuthenticationErrorDetail");
    }

    @Test
    void healthNeedsNoCredentials() {
        HttpResponse<String> health = http.call("GET", "/health").query("api-version", null).unsigned().send();
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("status").asText()).isEqualTo("ok");
    }
}
