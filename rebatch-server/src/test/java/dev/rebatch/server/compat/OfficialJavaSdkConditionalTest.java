package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.protocol.models.BatchErrorException;
import com.microsoft.azure.batch.protocol.models.JobGetOptions;
import com.microsoft.azure.batch.protocol.models.JobPatchOptions;
import com.microsoft.azure.batch.protocol.models.JobPatchParameter;
import com.microsoft.azure.batch.protocol.models.PoolInformation;
import com.microsoft.azure.batch.protocol.models.TaskAddParameter;
import com.microsoft.azure.batch.protocol.models.TaskTerminateOptions;
import dev.rebatch.server.TestService;
import org.joda.time.DateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Conditional headers as the official Java SDK sends them (its protocol layer's options). */
class OfficialJavaSdkConditionalTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final BatchClient batch = service.officialClient();

    @Test
    void aPatchAgainstAStaleETagIsConditionNotMetAndChangesNothing() throws Exception {
        batch.jobOperations().createJob("cond-job", new PoolInformation().withPoolId("p"));
        String etag = batch.jobOperations().getJob("cond-job").eTag();
        batch.protocolLayer().jobs().patch("cond-job", new JobPatchParameter().withPriority(10),
                new JobPatchOptions().withIfMatch(etag));

        assertThatThrownBy(() -> batch.protocolLayer().jobs().patch("cond-job",
                new JobPatchParameter().withPriority(20), new JobPatchOptions().withIfMatch(etag)))
                .isInstanceOfSatisfying(BatchErrorException.class, refused -> {
                    assertThat(refused.response().code()).isEqualTo(412);
                    assertThat(refused.body().code()).isEqualTo("ConditionNotMet");
                });
        assertThat(batch.jobOperations().getJob("cond-job").priority()).isEqualTo(10);
    }

    @Test
    void aGetWhoseIfMatchNoLongerHoldsIsConditionNotMet() throws Exception {
        batch.jobOperations().createJob("cond-get", new PoolInformation().withPoolId("p"));

        assertThatThrownBy(() -> batch.protocolLayer().jobs().get("cond-get", new JobGetOptions().withIfMatch("0x1")))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        refused -> assertThat(refused.response().code()).isEqualTo(412));
        assertThatThrownBy(() -> batch.protocolLayer().jobs().get("cond-get",
                new JobGetOptions().withIfUnmodifiedSince(DateTime.now().minusDays(1))))
                .isInstanceOfSatisfying(BatchErrorException.class,
                        refused -> assertThat(refused.response().code()).isEqualTo(412));
    }

    @Test
    void terminatingATaskWithAStaleETagIsRefused() throws Exception {
        batch.jobOperations().createJob("cond-task", new PoolInformation().withPoolId("p"));
        batch.taskOperations().createTask("cond-task", new TaskAddParameter().withId("t").withCommandLine("/bin/true"));

        assertThatThrownBy(() -> batch.protocolLayer().tasks().terminate("cond-task", "t",
                new TaskTerminateOptions().withIfMatch("0x1")))
                .isInstanceOfSatisfying(BatchErrorException.class, refused -> {
                    assertThat(refused.response().code()).isEqualTo(412);
                    assertThat(refused.body().code()).isEqualTo("ConditionNotMet");
                });
        assertThat(batch.taskOperations().getTask("cond-task", "t").state().toString()).isEqualTo("active");
    }
}
