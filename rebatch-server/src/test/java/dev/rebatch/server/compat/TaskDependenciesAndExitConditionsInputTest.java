package dev.rebatch.server.compat;

import static dev.rebatch.server.compat.BatchResponses.assertError;
import static dev.rebatch.server.compat.BatchResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * dependsOn and exitConditions of a task add, over real HTTP: what Batch refuses (with its error code and the
 * property named), Batch's size limits, and that a refused task is not stored.
 */
class TaskDependenciesAndExitConditionsInputTest {

    /** usesTaskDependencies and onTaskFailure performexitoptionsjobaction: every property is allowed. */
    private static final String FULL = "inputs-full";
    /** Neither: no dependsOn, no jobAction, no dependencyAction. */
    private static final String PLAIN = "inputs-plain";

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final SignedHttp http = service.http();

    @BeforeAll
    static void jobs() {
        assertThat(http.call("POST", "/jobs").body("{\"id\":\"" + FULL + "\",\"poolInfo\":{\"poolId\":\"p\"},"
                + "\"usesTaskDependencies\":true,\"onTaskFailure\":\"performexitoptionsjobaction\"}").send().statusCode())
                .isEqualTo(201);
        assertThat(http.call("POST", "/jobs").body("{\"id\":\"" + PLAIN + "\",\"poolInfo\":{\"poolId\":\"p\"}}")
                .send().statusCode()).isEqualTo(201);
    }

    private static HttpResponse<String> add(String job, String id, String properties) {
        return http.call("POST", "/jobs/" + job + "/tasks")
                .body("{\"id\":\"" + id + "\",\"commandLine\":\"echo\"," + properties + "}").send();
    }

    /** Adds a task that must be refused, and checks it was not stored. */
    private static HttpResponse<String> refused(String job, String id, String properties) {
        HttpResponse<String> response = add(job, id, properties);
        assertThat(http.call("GET", "/jobs/" + job + "/tasks/" + id).send().statusCode()).as(id).isEqualTo(404);
        return response;
    }

    private static Map<String, String> property(String name) {
        return Map.of("PropertyName", name);
    }

    private static String ids(int count, int length) {
        return IntStream.range(0, count)
                .mapToObj(i -> "\"" + String.format("%0" + length + "d", i) + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String ranges(int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"start\":" + (i * 10) + ",\"end\":" + (i * 10 + 5) + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    // ---- dependsOn -------------------------------------------------------------------------------------------

    @Test
    void dependsOnNeedsAJobThatUsesTaskDependencies() {
        assertError(refused(PLAIN, "needs-deps", "\"dependsOn\":{\"taskIds\":[\"a\"]}"), 400,
                "TaskDependenciesNotSpecifiedOnJob", Map.of());
    }

    @Test
    void aParentThatDoesNotExistYetIsAccepted() {
        HttpResponse<String> added = add(FULL, "waits-for-later",
                "\"dependsOn\":{\"taskIds\":[\"later\"],\"taskIdRanges\":[{\"start\":1,\"end\":1000000}]}");

        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonNode stored = json(http.call("GET", "/jobs/" + FULL + "/tasks/waits-for-later").send()).path("dependsOn");
        assertThat(stored.path("taskIds").get(0).asText()).isEqualTo("later");
        assertThat(stored.path("taskIdRanges").get(0).path("end").asInt()).isEqualTo(1_000_000);
    }

    @Test
    void taskIdsMayTotal64000CharactersAndNoMore() {
        assertThat(add(FULL, "many-parents", "\"dependsOn\":{\"taskIds\":" + ids(1000, 64) + "}").statusCode())
                .isEqualTo(201);
        assertThat(assertError(refused(FULL, "too-many-parents", "\"dependsOn\":{\"taskIds\":" + ids(1001, 64) + "}"),
                400, "TaskDependencyListTooLong", Map.of()).get("Reason")).contains("64064");
    }

    @Test
    void taskIdRangesAreLimitedInNumberNotSize() {
        assertThat(add(FULL, "many-ranges", "\"dependsOn\":{\"taskIdRanges\":" + ranges(2000) + "}").statusCode())
                .isEqualTo(201);
        assertError(refused(FULL, "too-many-ranges", "\"dependsOn\":{\"taskIdRanges\":" + ranges(2001) + "}"),
                400, "TaskDependencyRangesTooLong", Map.of());
    }

    @Test
    void aTaskCannotDependOnItselfByIdOrThroughARange() {
        assertError(refused(FULL, "Self", "\"dependsOn\":{\"taskIds\":[\"self\"]}"), 400, "InvalidPropertyValue",
                property("dependsOn.taskIds"));
        assertError(refused(FULL, "007", "\"dependsOn\":{\"taskIdRanges\":[{\"start\":1,\"end\":10}]}"), 400,
                "InvalidPropertyValue", property("dependsOn.taskIdRanges"));
        assertThat(add(FULL, "11", "\"dependsOn\":{\"taskIdRanges\":[{\"start\":1,\"end\":10}]}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void malformedDependenciesNameTheProperty() {
        assertError(refused(FULL, "backwards", "\"dependsOn\":{\"taskIdRanges\":[{\"start\":5,\"end\":4}]}"), 400,
                "InvalidPropertyValue", property("dependsOn.taskIdRanges"));
        assertError(refused(FULL, "open-range", "\"dependsOn\":{\"taskIdRanges\":[{\"start\":5}]}"), 400,
                "MissingRequiredProperty", property("dependsOn.taskIdRanges.end"));
        assertError(refused(FULL, "fraction", "\"dependsOn\":{\"taskIdRanges\":[{\"start\":1.5,\"end\":4}]}"), 400,
                "InvalidPropertyValue", property("dependsOn.taskIdRanges.start"));
        assertError(refused(FULL, "stepped", "\"dependsOn\":{\"taskIdRanges\":[{\"start\":1,\"end\":4,\"step\":2}]}"),
                400, "UnsupportedProperty", property("dependsOn.taskIdRanges.step"));
        assertError(refused(FULL, "coloured", "\"dependsOn\":{\"taskIds\":[],\"colour\":1}"), 400,
                "UnsupportedProperty", property("dependsOn.colour"));
        assertError(refused(FULL, "not-a-list", "\"dependsOn\":{\"taskIds\":\"a\"}"), 400, "InvalidPropertyValue",
                property("dependsOn.taskIds"));
        assertError(refused(FULL, "bad-parent", "\"dependsOn\":{\"taskIds\":[\"a b\"]}"), 400, "InvalidPropertyValue",
                property("dependsOn.taskIds"));
    }

    // ---- exitConditions --------------------------------------------------------------------------------------

    private static final String EVERY_CONDITION = "\"exitConditions\":{"
            + "\"exitCodes\":[{\"code\":0,\"exitOptions\":{\"jobAction\":\"terminate\"}}],"
            + "\"exitCodeRanges\":[{\"start\":1,\"end\":9,\"exitOptions\":{\"dependencyAction\":\"satisfy\"}}],"
            + "\"preProcessingError\":{\"jobAction\":\"disable\",\"dependencyAction\":\"block\"},"
            + "\"fileUploadError\":{\"jobAction\":\"none\"},\"default\":{\"dependencyAction\":\"satisfy\"}}";

    @Test
    void exitConditionsAreStoredAsGivenOnAJobThatAllowsTheirActions() {
        HttpResponse<String> added = add(FULL, "every-condition", EVERY_CONDITION);

        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonNode stored = json(http.call("GET", "/jobs/" + FULL + "/tasks/every-condition").send()).path("exitConditions");
        assertThat(stored.path("exitCodeRanges").get(0).path("exitOptions").path("dependencyAction").asText())
                .isEqualTo("satisfy");
        assertThat(stored.path("preProcessingError").path("jobAction").asText()).isEqualTo("disable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "disable", "terminate"})
    void aJobActionNeedsAJobThatPerformsExitOptions(String action) {
        assertError(refused(PLAIN, "job-action-" + action, "\"exitConditions\":{\"default\":{\"jobAction\":\"" + action + "\"}}"),
                400, "InvalidPropertyValue", Map.of("PropertyName", "exitConditions.default.jobAction",
                        "PropertyValue", action));
        assertError(refused(PLAIN, "code-action-" + action, "\"exitConditions\":{\"exitCodes\":[{\"code\":3,"
                + "\"exitOptions\":{\"jobAction\":\"" + action + "\"}}]}"), 400, "InvalidPropertyValue",
                property("exitConditions.exitCodes.exitOptions.jobAction"));
    }

    @Test
    void aDependencyActionNeedsAJobThatUsesTaskDependencies() {
        assertError(refused(PLAIN, "dependency-action", "\"exitConditions\":{\"preProcessingError\":"
                + "{\"dependencyAction\":\"satisfy\"}}"), 400, "InvalidPropertyValue",
                property("exitConditions.preProcessingError.dependencyAction"));
    }

    @Test
    void exitConditionsWithoutActionsAreFineOnAnyJob() {
        assertThat(add(PLAIN, "no-actions", "\"exitConditions\":{\"exitCodes\":[{\"code\":1,\"exitOptions\":{}}],"
                + "\"default\":{}}").statusCode()).isEqualTo(201);
    }

    @Test
    void malformedExitConditionsNameTheProperty() {
        assertError(refused(FULL, "unknown-action", "\"exitConditions\":{\"default\":{\"jobAction\":\"explode\"}}"), 400,
                "InvalidPropertyValue", property("exitConditions.default.jobAction"));
        assertError(refused(FULL, "shouting", "\"exitConditions\":{\"default\":{\"dependencyAction\":\"SATISFY\"}}"), 400,
                "InvalidPropertyValue", property("exitConditions.default.dependencyAction"));
        assertError(refused(FULL, "no-options", "\"exitConditions\":{\"exitCodes\":[{\"code\":1}]}"), 400,
                "MissingRequiredProperty", property("exitConditions.exitCodes.exitOptions"));
        assertError(refused(FULL, "no-code", "\"exitConditions\":{\"exitCodes\":[{\"exitOptions\":{}}]}"), 400,
                "MissingRequiredProperty", property("exitConditions.exitCodes.code"));
        assertError(refused(FULL, "big-code", "\"exitConditions\":{\"exitCodes\":[{\"code\":4294967296,\"exitOptions\":{}}]}"),
                400, "InvalidPropertyValue", property("exitConditions.exitCodes.code"));
        assertError(refused(FULL, "backwards-codes", "\"exitConditions\":{\"exitCodeRanges\":[{\"start\":9,\"end\":1,"
                + "\"exitOptions\":{}}]}"), 400, "InvalidPropertyValue", property("exitConditions.exitCodeRanges"));
        assertError(refused(FULL, "coloured-options", "\"exitConditions\":{\"default\":{\"colour\":1}}"), 400,
                "UnsupportedProperty", property("exitConditions.default.colour"));
        assertError(refused(FULL, "coloured-conditions", "\"exitConditions\":{\"colour\":1}"), 400,
                "UnsupportedProperty", property("exitConditions.colour"));
        assertError(refused(FULL, "listless", "\"exitConditions\":{\"exitCodes\":{}}"), 400,
                "InvalidPropertyValue", property("exitConditions.exitCodes"));
    }

    @Test
    void inACollectionOnlyTheTaskWithBadExitConditionsIsRefused() {
        HttpResponse<String> response = http.call("POST", "/jobs/" + PLAIN + "/addtaskcollection").body("{\"value\":["
                + "{\"id\":\"fine\",\"commandLine\":\"echo\"},"
                + "{\"id\":\"acts\",\"commandLine\":\"echo\",\"exitConditions\":{\"default\":{\"jobAction\":\"none\"}}}]}")
                .send();

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, JsonNode> results = new HashMap<>();
        json(response).path("value").forEach(result -> results.put(result.path("taskId").asText(), result));
        assertThat(results.get("fine").path("status").asText()).isEqualTo("success");
        assertThat(results.get("acts").path("status").asText()).isEqualTo("clienterror");
        assertThat(results.get("acts").path("error").path("code").asText()).isEqualTo("InvalidPropertyValue");
    }
}
