package dev.rebatch.model.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.JobDisable;
import dev.rebatch.model.job.JobState;
import dev.rebatch.model.job.OnAllTasksComplete;
import dev.rebatch.model.job.OnTaskFailure;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.node.ComputeNodeState;
import dev.rebatch.model.pool.PoolPatch;
import dev.rebatch.model.task.TaskAddResult;
import dev.rebatch.model.task.TaskAddStatus;
import dev.rebatch.model.task.TaskConstraints;
import dev.rebatch.model.task.TaskFailureInformation;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.model.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings of the wire mapper, one by one. */
class BatchJsonTest {

    private final ObjectMapper json = BatchJson.mapper();

    @Test
    void isSharedAndNewMapperGivesAPrivateCopy() {
        assertThat(BatchJson.mapper()).isSameAs(json);
        assertThat(BatchJson.newMapper()).isNotSameAs(json);
    }

    @Test
    void writesInstantsAsIsoStringsInUtc() throws Exception {
        CloudJob job = json.readValue("{\"creationTime\":\"2024-07-01T10:00:00Z\"}", CloudJob.class);

        assertThat(json.readTree(json.writeValueAsString(job)).path("creationTime").isTextual()).isTrue();
        assertThat(json.writeValueAsString(job)).isEqualTo("{\"creationTime\":\"2024-07-01T10:00:00Z\"}");
    }

    @Test
    void readsTheSevenFractionalDigitsBatchSends() throws Exception {
        TaskAddResult result = json.readValue(
                "{\"status\":\"success\",\"taskId\":\"t\",\"lastModified\":\"2016-09-06T07:02:44.7589958Z\"}",
                TaskAddResult.class);

        assertThat(result.lastModified()).isEqualTo(Instant.parse("2016-09-06T07:02:44.7589958Z"));
        assertThat(result.lastModified().getNano()).isEqualTo(758_995_800);
    }

    @Test
    void writesAndReadsDurationsAsIso8601() throws Exception {
        TaskConstraints constraints = TaskConstraints.empty().withMaxWallClockTime(Duration.ofHours(1))
                .withRetentionTime(Duration.ofMinutes(90));

        assertThat(json.writeValueAsString(constraints))
                .isEqualTo("{\"maxWallClockTime\":\"PT1H\",\"retentionTime\":\"PT1H30M\"}");
        assertThat(json.readValue("{\"retentionTime\":\"P7D\"}", TaskConstraints.class).retentionTime())
                .isEqualTo(Duration.ofDays(7));
    }

    @Test
    void readsTheUnlimitedDurationBatchReturns() throws Exception {
        CloudJob job = json.readValue(
                "{\"constraints\":{\"maxWallClockTime\":\"P10675199DT2H48M5.4775807S\",\"maxTaskRetryCount\":0}}",
                CloudJob.class);

        assertThat(job.constraints().maxWallClockTime()).isEqualTo(BatchDurations.UNLIMITED);
        assertThat(BatchDurations.isUnlimited(job.constraints().maxWallClockTime())).isTrue();
        assertThat(BatchDurations.isUnlimited(null)).isTrue();
        assertThat(BatchDurations.isUnlimited(Duration.ofDays(180))).isFalse();
    }

    @Test
    void omitsNullsButKeepsEmptyLists() throws Exception {
        assertThat(json.writeValueAsString(TaskSpec.of("t1", "echo hi")))
                .isEqualTo("{\"id\":\"t1\",\"commandLine\":\"echo hi\"}");
        assertThat(json.writeValueAsString(PoolPatch.empty())).isEqualTo("{}");
        assertThat(json.writeValueAsString(PoolPatch.empty().withMetadata(List.of())))
                .as("an empty list in a patch clears, so it must be sent").isEqualTo("{\"metadata\":[]}");
    }

    @Test
    void ignoresPropertiesItDoesNotKnow() throws Exception {
        CloudJob job = json.readValue("""
                {"odata.metadata":"https://acct/$metadata#jobs/@Element","id":"j","state":"active",
                 "stats":{"url":"u","numSucceededTasks":3},"jobManagerTask":{"id":"jm","commandLine":"x"},
                 "someFuturePropertyOf2030":[1,2,3]}""", CloudJob.class);

        assertThat(job.id()).isEqualTo("j");
        assertThat(job.state()).isEqualTo(JobState.ACTIVE);
    }

    @Test
    void readsEnumValuesItDoesNotKnowAsUnknown() throws Exception {
        CloudJob job = json.readValue("{\"state\":\"hibernating\",\"onAllTasksComplete\":\"sendpostcard\"}",
                CloudJob.class);
        ComputeNode node = json.readValue("{\"state\":\"levitating\"}", ComputeNode.class);
        TaskAddResult result = json.readValue("{\"status\":\"partial\",\"taskId\":\"t\"}", TaskAddResult.class);
        TaskFailureInformation failure = json.readValue("{\"category\":\"cosmicray\"}", TaskFailureInformation.class);

        assertThat(job.state()).isEqualTo(JobState.UNKNOWN);
        assertThat(job.onAllTasksComplete()).isEqualTo(OnAllTasksComplete.UNKNOWN);
        assertThat(node.state()).isEqualTo(ComputeNodeState.UNKNOWN);
        assertThat(result.status()).isEqualTo(TaskAddStatus.UNKNOWN);
        assertThat(failure.category()).isEqualTo(ErrorCategory.UNKNOWN);
    }

    @Test
    void rejectsUnknownValuesOfTheEnumsOnlyClientsSend() {
        assertThatThrownBy(() -> json.readValue("{\"disableTasks\":\"explode\"}", JobDisable.class))
                .isInstanceOf(InvalidFormatException.class);
    }

    @Test
    void readsEnumsInAnyCaseAndWritesThemInLowercase() throws Exception {
        CloudJob job = json.readValue(
                "{\"onAllTasksComplete\":\"terminateJob\",\"onTaskFailure\":\"performExitOptionsJobAction\"}",
                CloudJob.class);
        TaskFailureInformation failure = json.readValue("{\"category\":\"userError\"}", TaskFailureInformation.class);

        assertThat(job.onAllTasksComplete()).isEqualTo(OnAllTasksComplete.TERMINATE_JOB);
        assertThat(job.onTaskFailure()).isEqualTo(OnTaskFailure.PERFORM_EXIT_OPTIONS_JOB_ACTION);
        assertThat(failure.category()).isEqualTo(ErrorCategory.USER_ERROR);
        assertThat(json.writeValueAsString(job))
                .isEqualTo("{\"onAllTasksComplete\":\"terminatejob\",\"onTaskFailure\":\"performexitoptionsjobaction\"}");
        assertThat(json.writeValueAsString(TaskState.COMPLETED)).isEqualTo("\"completed\"");
    }

    @Test
    void readsAListPageWithATypeReferenceOrAJavaType() throws Exception {
        String body = """
                {"odata.metadata":"https://acct/$metadata#jobs",
                 "value":[{"id":"a","state":"active"},{"id":"b","state":"completed"}],
                 "odata.nextLink":"https://acct/jobs?api-version=2024-07-01.20.0&$skiptoken=b"}""";

        ListPage<CloudJob> byReference = json.readValue(body, new TypeReference<ListPage<CloudJob>>() {});
        ListPage<CloudJob> byType = json.readValue(body, BatchJson.listPageOf(CloudJob.class));

        assertThat(byReference).isEqualTo(byType);
        assertThat(byType.value()).extracting(CloudJob::id).containsExactly("a", "b");
        assertThat(byType.value().get(1).state()).isEqualTo(JobState.COMPLETED);
        assertThat(byType.nextLink()).endsWith("$skiptoken=b");
    }

    @Test
    void writesTheNextLinkUnderItsODataNameAndOmitsItOnTheLastPage() throws Exception {
        JsonNode more = json.readTree(json.writeValueAsString(new ListPage<>(List.of(TaskSpec.of("t", "c")), "next")));
        JsonNode last = json.readTree(json.writeValueAsString(new ListPage<>(List.of(), null)));

        assertThat(more.path("odata.nextLink").asText()).isEqualTo("next");
        assertThat(more.has("nextLink")).isFalse();
        assertThat(last.has("odata.nextLink")).isFalse();
        assertThat(last.path("value").isArray()).isTrue();
    }
}
