package dev.rebatch.server.compat;

import static dev.rebatch.server.compat.BatchResponses.assertError;
import static dev.rebatch.server.compat.BatchResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.DetailLevel;
import com.microsoft.azure.batch.protocol.models.BatchErrorException;
import com.microsoft.azure.batch.protocol.models.CloudJob;
import com.microsoft.azure.batch.protocol.models.CloudTask;
import com.microsoft.azure.batch.protocol.models.JobState;
import com.microsoft.azure.batch.protocol.models.PoolInformation;
import com.microsoft.azure.batch.protocol.models.TaskAddParameter;
import com.microsoft.azure.batch.protocol.models.TaskState;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code $select} on job and task get and list, through the official SDK's DetailLevel and over raw HTTP. */
class SelectTest {

    private static final String JOB = "select-job";
    private static final DetailLevel ID_AND_STATE = new DetailLevel.Builder().withSelectClause("id,state").build();

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final BatchClient batch = service.officialClient();
    static final SignedHttp http = service.http();

    @BeforeAll
    static void start() throws Exception {
        batch.jobOperations().createJob(JOB, new PoolInformation().withPoolId("pool-1"));
        batch.taskOperations().createTask(JOB, new TaskAddParameter().withId("task-1").withCommandLine("echo 1"));
    }

    @Test
    void theSdkGetsOnlyTheSelectedJobProperties() throws Exception {
        CloudJob job = batch.jobOperations().getJob(JOB, ID_AND_STATE);
        assertThat(job.id()).isEqualTo(JOB);
        assertThat(job.state()).isEqualTo(JobState.ACTIVE);
        assertThat(job.poolInfo()).isNull();
        assertThat(job.url()).isNull();

        List<CloudJob> jobs = new ArrayList<>(batch.jobOperations().listJobs(ID_AND_STATE));
        assertThat(jobs).extracting(CloudJob::id).containsExactly(JOB);
        assertThat(jobs).allSatisfy(listed -> {
            assertThat(listed.state()).isEqualTo(JobState.ACTIVE);
            assertThat(listed.poolInfo()).isNull();
            assertThat(listed.creationTime()).isNull();
        });
    }

    @Test
    void theSdkGetsOnlyTheSelectedTaskProperties() throws Exception {
        CloudTask task = batch.taskOperations().getTask(JOB, "task-1", ID_AND_STATE);
        assertThat(task.id()).isEqualTo("task-1");
        assertThat(task.state()).isEqualTo(TaskState.ACTIVE);
        assertThat(task.commandLine()).isNull();

        List<CloudTask> tasks = new ArrayList<>(batch.taskOperations().listTasks(JOB,
                new DetailLevel.Builder().withSelectClause("commandLine").build()));
        assertThat(tasks).singleElement().satisfies(listed -> {
            assertThat(listed.commandLine()).isEqualTo("echo 1");
            assertThat(listed.id()).isNull();
        });
    }

    @Test
    void anUnknownPropertyThroughTheSdkIsInvalidQueryParameterValue() {
        DetailLevel unknown = new DetailLevel.Builder().withSelectClause("id,colour").build();
        assertThatThrownBy(() -> batch.jobOperations().getJob(JOB, unknown))
                .isInstanceOfSatisfying(BatchErrorException.class, error -> {
                    assertThat(error.body().code()).isEqualTo("InvalidQueryParameterValue");
                    assertThat(error.body().values()).anySatisfy(detail -> {
                        assertThat(detail.key()).isEqualTo("QueryParameterName");
                        assertThat(detail.value()).isEqualTo("$select");
                    });
                });
    }

    @Test
    void rawHttpKeepsOdataMetadataAndOnlyTheSelectedProperties() {
        HttpResponse<String> job = http.call("GET", "/jobs/" + JOB).query("$select", "id, eTag").send();
        assertThat(job.statusCode()).isEqualTo(200);
        assertThat(fieldNames(json(job))).containsExactlyInAnyOrder("odata.metadata", "id", "eTag");
        // The validators still describe the whole resource, whatever the body shows.
        assertThat(job.headers().firstValue("ETag")).hasValue(json(job).path("eTag").asText());

        HttpResponse<String> tasks = http.call("GET", "/jobs/" + JOB + "/tasks").query("$select", "state").send();
        assertThat(tasks.statusCode()).isEqualTo(200);
        assertThat(fieldNames(json(tasks))).contains("odata.metadata", "value");
        assertThat(json(tasks).path("value")).singleElement()
                .satisfies(task -> assertThat(fieldNames(task)).containsExactly("state"));
    }

    @Test
    void anUnknownOrEmptyNameIsRefusedNamingSelectEvenForAMissingResource() {
        for (String select : List.of("id,colour", "id,,state", "", "ID")) {
            assertError(http.call("GET", "/jobs").query("$select", select).send(), 400, "InvalidQueryParameterValue",
                    Map.of("QueryParameterName", "$select", "QueryParameterValue", select));
        }
        assertError(http.call("GET", "/jobs/no-such-job/tasks/no-such-task").query("$select", "colour").send(), 400,
                "InvalidQueryParameterValue", Map.of("QueryParameterName", "$select"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
