package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.protocol.models.BatchErrorException;
import com.microsoft.azure.batch.protocol.models.CloudJob;
import com.microsoft.azure.batch.protocol.models.DisableJobOption;
import com.microsoft.azure.batch.protocol.models.JobState;
import com.microsoft.azure.batch.protocol.models.PoolInformation;
import dev.rebatch.server.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Job operations through the official Java SDK, unchanged, against the running service. */
class OfficialJavaSdkJobsTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final BatchClient batch = service.officialClient();

    private static PoolInformation pool() {
        return new PoolInformation().withPoolId("pool-1");
    }

    @Test
    void createGetAndListAJob() throws Exception {
        batch.jobOperations().createJob("Job-Create", pool());

        CloudJob job = batch.jobOperations().getJob("job-create");

        assertThat(job.id()).as("ids are case-insensitive and case-preserving").isEqualTo("Job-Create");
        assertThat(job.state()).isEqualTo(JobState.ACTIVE);
        assertThat(job.poolInfo().poolId()).isEqualTo("pool-1");
        assertThat(job.eTag()).startsWith("0x");
        assertThat(job.creationTime()).isNotNull();
        assertThat(job.url()).isEqualTo(service.endpoint() + "/jobs/Job-Create");
        assertThat(batch.jobOperations().listJobs()).extracting(CloudJob::id).contains("Job-Create");
    }

    @Test
    void aSecondCreateOfTheSameIdIsJobExists() throws Exception {
        batch.jobOperations().createJob("job-twice", pool());

        assertThatThrownBy(() -> batch.jobOperations().createJob("JOB-TWICE", pool()))
                .isInstanceOfSatisfying(BatchErrorException.class, error -> {
                    assertThat(error.response().code()).isEqualTo(409);
                    assertThat(error.body().code()).isEqualTo("JobExists");
                    assertThat(error.body().message().value()).contains("RequestId:", "Time:");
                });
    }

    @Test
    void aMissingJobIsJobNotFound() {
        assertThatThrownBy(() -> batch.jobOperations().getJob("no-such-job"))
                .isInstanceOfSatisfying(BatchErrorException.class, error -> {
                    assertThat(error.response().code()).isEqualTo(404);
                    assertThat(error.body().code()).isEqualTo("JobNotFound");
                });
    }

    @Test
    void disableEnableAndTerminateFollowTheJobStateMachine() throws Exception {
        batch.jobOperations().createJob("job-states", pool());

        batch.jobOperations().disableJob("job-states", DisableJobOption.REQUEUE);
        assertThat(batch.jobOperations().getJob("job-states").state()).isEqualTo(JobState.DISABLED);
        assertThatThrownBy(() -> batch.jobOperations().disableJob("job-states", DisableJobOption.WAIT))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        error -> assertThat(error.body().code()).isEqualTo("JobNotActive"));

        batch.jobOperations().enableJob("job-states");
        assertThat(batch.jobOperations().getJob("job-states").state()).isEqualTo(JobState.ACTIVE);

        batch.jobOperations().terminateJob("job-states", "done here");
        CloudJob terminated = batch.jobOperations().getJob("job-states");
        assertThat(terminated.state()).isEqualTo(JobState.COMPLETED);
        assertThat(terminated.executionInfo().terminateReason()).isEqualTo("done here");
        assertThatThrownBy(() -> batch.jobOperations().terminateJob("job-states", "again"))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        error -> assertThat(error.body().code()).isEqualTo("JobCompleted"));
    }

    @Test
    void deleteIsAcceptedAndTheJobGoes() throws Exception {
        batch.jobOperations().createJob("job-delete", pool());

        batch.jobOperations().deleteJob("job-delete");

        // Deletion is asynchronous by contract (202, then "deleting"): poll for its end, bounded to 5 s.
        for (int i = 0; i < 500 && exists("job-delete"); i++) {
            Thread.sleep(10);
        }
        assertThat(exists("job-delete")).isFalse();
    }

    @Test
    void anotherAccountSeesNoneOfThisAccountsJobs() throws Exception {
        batch.jobOperations().createJob("job-private", pool());
        BatchClient other = service.officialClient(TestService.OTHER_ACCOUNT, TestService.OTHER_KEY);

        assertThat(other.jobOperations().listJobs()).extracting(CloudJob::id).doesNotContain("job-private");
        assertThatThrownBy(() -> other.jobOperations().getJob("job-private"))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        error -> assertThat(error.body().code()).isEqualTo("JobNotFound"));
        // The same id is free in the other account.
        other.jobOperations().createJob("job-private", pool());
    }

    @Test
    void aWrongKeyIsAuthenticationFailedWithNoData() {
        BatchClient intruder = service.officialClient(TestService.ACCOUNT, TestService.OTHER_KEY);

        assertThatThrownBy(() -> intruder.jobOperations().listJobs())
                .isInstanceOfSatisfying(BatchErrorException.class, error -> {
                    assertThat(error.response().code()).isEqualTo(403);
                    assertThat(error.body().code()).isEqualTo("AuthenticationFailed");
                    assertThat(error.body().values()).extracting(detail -> detail.key())
                            .contains("AuthenticationErrorDetail");
                });
    }

    private static boolean exists(String jobId) throws Exception {
        try {
            batch.jobOperations().getJob(jobId);
            return true;
        } catch (BatchErrorException error) {
            if (error.body() != null && "JobNotFound".equals(error.body().code())) {
                return false;
            }
            throw error;
        }
    }
}
