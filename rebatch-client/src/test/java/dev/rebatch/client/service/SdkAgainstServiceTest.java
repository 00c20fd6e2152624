package dev.rebatch.client.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.BulkAddResult;
import dev.rebatch.client.Created;
import dev.rebatch.client.ListOptions;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.DisableJobOption;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.JobState;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.PoolResize;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.pool.PoolState;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.model.task.TaskState;
import dev.rebatch.retry.StopReason;
import dev.rebatch.retry.classify.Category;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.server.TestService;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK against the real service: signing, paths, bodies and answers agree for every operation it offers. */
class SdkAgainstServiceTest {

    @RegisterExtension
    static final TestService SERVICE = TestService.inTemporaryDirectory();

    private final BatchClient batch = BatchClient.builder()
            .endpoint(SERVICE.endpoint())
            .sharedKey(TestService.ACCOUNT, TestService.KEY)
            .build();

    @Test
    void createsReadsListsAndDeletesAPool() {
        String id = unique("pool");
        Created created = batch.pools().create(PoolSpec.of(id, "standard_d2s_v3", 0));

        assertThat(created.id()).isEqualTo(id);
        assertThat(created.eTag()).isNotBlank();
        assertThat(created.confirmedByRead()).isFalse();
        CloudPool pool = batch.pools().get(id);
        assertThat(pool.vmSize()).isEqualToIgnoringCase("standard_d2s_v3");
        assertThat(batch.pools().exists(id, RequestOptions.DEFAULTS)).isTrue();
        assertThat(batch.pools().list().map(CloudPool::id)).contains(id);

        batch.pools().resize(id, PoolResize.of(0, 0));
        batch.pools().delete(id);
        // The delete is asynchronous (202): the pool is deleting, or already gone.
        try {
            assertThat(batch.pools().get(id).state()).isEqualTo(PoolState.DELETING);
        } catch (BatchServiceException gone) {
            assertThat(gone.errorCode()).isEqualTo("PoolNotFound");
        }
    }

    @Test
    void aJobMovesThroughDisableEnableAndTerminate() {
        String id = unique("job");
        batch.jobs().create(JobSpec.of(id, "pool-1").withPriority(10));

        batch.jobs().disable(id, DisableJobOption.REQUEUE);
        assertThat(batch.jobs().get(id).state()).isIn(JobState.DISABLING, JobState.DISABLED);
        batch.jobs().enable(id);
        assertThat(batch.jobs().get(id).state()).isIn(JobState.ENABLING, JobState.ACTIVE);
        batch.jobs().terminate(id, "done testing");

        CloudJob job = batch.jobs().get(id);
        assertThat(job.state()).isIn(JobState.TERMINATING, JobState.COMPLETED);
        assertThat(job.priority()).isEqualTo(10);
        assertThat(job.executionInfo().terminateReason()).isEqualTo("done testing");
    }

    @Test
    void aSecondCreateOfTheSameJobIsReportedNotSwallowed() {
        String id = unique("job");
        batch.jobs().create(JobSpec.of(id, "pool-1"));

        assertThatThrownBy(() -> batch.jobs().create(JobSpec.of(id, "pool-1")))
                .isInstanceOfSatisfying(BatchServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo("JobExists");
                    assertThat(e.category()).isEqualTo(Category.CONFLICT);
                    assertThat(e.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
                    assertThat(e.attempts()).hasSize(1);
                    assertThat(e.requestId()).isNotBlank();
                    assertThat(e.serviceMessage()).contains("RequestId:");
                });
    }

    @Test
    void aMissingJobIsATypedNotFound() {
        assertThatThrownBy(() -> batch.jobs().get("no-such-job"))
                .isInstanceOfSatisfying(BatchServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo("JobNotFound");
                    assertThat(e.getMessage()).startsWith("get job no-such-job failed: 404 JobNotFound");
                });
    }

    @Test
    void aWrongKeyIsRefusedAsAuthenticationFailedWithoutRetrying() {
        BatchClient wrongKey = BatchClient.builder()
                .endpoint(SERVICE.endpoint())
                .sharedKey(TestService.ACCOUNT, TestService.OTHER_KEY)
                .build();

        assertThatThrownBy(() -> wrongKey.jobs().list().toList())
                .isInstanceOfSatisfying(BatchServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.errorCode()).isEqualTo("AuthenticationFailed");
                    assertThat(e.attempts()).hasSize(1);
                });
    }

    @Test
    void addsOneThousandTasksInBulkAndPagesThroughThem() {
        String job = unique("job");
        batch.jobs().create(JobSpec.of(job, "pool-1"));
        List<TaskSpec> tasks = IntStream.range(0, 1000)
                .mapToObj(i -> TaskSpec.of("task-" + i, "/bin/echo " + i)).toList();

        BulkAddResult result = batch.tasks().addTasks(job, tasks);

        assertThat(result.failures()).isEmpty();
        assertThat(result.addedCount()).isEqualTo(1000);
        List<String> listed = batch.tasks().list(job, ListOptions.ALL.withMaxResults(90)).map(CloudTask::id).toList();
        assertThat(listed).hasSize(1000).doesNotHaveDuplicates();
        assertThat(batch.jobs().taskCounts(job).taskCounts().active()).isEqualTo(1000);
    }

    @Test
    void aBulkAddReportsEachRefusedTaskWithItsCode() {
        String job = unique("job");
        batch.jobs().create(JobSpec.of(job, "pool-1"));
        batch.tasks().create(job, TaskSpec.of("taken", "/bin/true"));

        BulkAddResult result = batch.tasks().addTasks(job, List.of(TaskSpec.of("taken", "/bin/true"),
                TaskSpec.of("fresh", "/bin/true"), TaskSpec.of("bad id!", "/bin/true")));

        assertThat(result.outcomes()).extracting(o -> o.taskId() + ":" + o.added() + ":" + o.errorCode())
                .containsExactly("taken:false:TaskExists", "fresh:true:null", "bad id!:false:InvalidPropertyValue");
    }

    @Test
    void taskActionsTerminateAndDelete() {
        String job = unique("job");
        batch.jobs().create(JobSpec.of(job, "pool-1"));
        batch.tasks().create(job, TaskSpec.of("t1", "/bin/true").withMaxTaskRetryCount(2));

        batch.tasks().terminate(job, "t1");
        CloudTask task = batch.tasks().get(job, "t1");
        assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(task.constraints().maxTaskRetryCount()).isEqualTo(2);
        assertThatThrownBy(() -> batch.tasks().terminate(job, "t1"))
                .isInstanceOfSatisfying(BatchServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("TaskCompleted"));

        batch.tasks().delete(job, "t1");
        assertThat(batch.tasks().list(job).toList()).isEmpty();
    }

    @Test
    void aFilterIsSentAndApplied() {
        String prefix = unique("f");
        batch.jobs().create(JobSpec.of(prefix + "-a", "pool-1"));
        batch.jobs().create(JobSpec.of(prefix + "-b", "pool-1"));
        batch.jobs().terminate(prefix + "-b", null);

        List<String> active = batch.jobs().list(ListOptions.filter("state eq 'active'"))
                .map(CloudJob::id).filter(id -> id.startsWith(prefix)).toList();

        assertThat(active).containsExactly(prefix + "-a");
    }

    @Test
    void aCallerChosenClientRequestIdIsSentAndEchoed() {
        String requestId = UUID.randomUUID().toString();
        assertThatThrownBy(() -> batch.jobs().get("missing", RequestOptions.DEFAULTS.withClientRequestId(requestId)
                        .withRetryPolicy(RetryPolicyProvider.noRetry())))
                .isInstanceOfSatisfying(BatchServiceException.class,
                        e -> assertThat(e.clientRequestId()).isEqualTo(requestId));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
