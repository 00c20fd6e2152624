package dev.rebatch.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.node.TaskKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureInfoTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void isWrittenAsTheSpecsTaskFailureInformation() throws Exception {
        assertThat(json.writeValueAsString(FailureInfo.cancelled(CancelReason.TERMINATE_JOB))).isEqualTo(
                "{\"category\":\"usererror\",\"code\":\"TaskEnded\",\"message\":\"Task was ended by user request.\","
                        + "\"details\":[{\"name\":\"Reason\",\"value\":\"TerminateJob\"}]}");
        assertThat(json.writeValueAsString(FailureInfo.directoryCreateFailed("disk full")))
                .startsWith("{\"category\":\"servererror\",\"code\":\"ResourceDirectoryCreateFailed\"");
    }

    @Test
    void anOutcomeWithoutFailureInfoIsASuccess() {
        TaskKey task = new TaskKey("j", "t");
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        assertThat(new TaskOutcome(task, now, now, 0, null).result()).isEqualTo(TaskExecutionResult.SUCCESS);
        assertThat(new TaskOutcome(task, now, now, null, FailureInfo.programNotFound("x")).result())
                .isEqualTo(TaskExecutionResult.FAILURE);
        assertThat(TaskExecutionResult.FAILURE.wireName()).isEqualTo("failure");
    }
}
