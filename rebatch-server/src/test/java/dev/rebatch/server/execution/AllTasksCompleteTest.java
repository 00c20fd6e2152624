package dev.rebatch.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllTasksCompleteTest {

    private static final ObjectNode TERMINATE_JOB = Json.readStored("{\"id\":\"j\",\"onAllTasksComplete\":\"terminatejob\"}");
    private static final TaskCounts ALL_DONE = new TaskCounts(0, 0, 12);

    @Test
    void aTerminatejobJobEndsWhenEveryTaskIsCompleted() {
        assertThat(AllTasksComplete.shouldTerminate("active", TERMINATE_JOB, ALL_DONE)).isTrue();
        assertThat(AllTasksComplete.TERMINATE_REASON).isEqualTo("AllTasksComplete");
    }

    @Test
    void notWhileATaskIsActiveOrRunning() {
        assertThat(AllTasksComplete.shouldTerminate("active", TERMINATE_JOB, new TaskCounts(1, 0, 11))).isFalse();
        assertThat(AllTasksComplete.shouldTerminate("active", TERMINATE_JOB, new TaskCounts(0, 1, 11))).isFalse();
    }

    @Test
    void aJobWithoutTasksHasAllOfThemComplete() {
        assertThat(AllTasksComplete.shouldTerminate("active", TERMINATE_JOB, new TaskCounts(0, 0, 0))).isTrue();
    }

    @Test
    void noactionNeverEndsTheJob() {
        assertThat(AllTasksComplete.shouldTerminate("active", Json.readStored("{\"onAllTasksComplete\":\"noaction\"}"),
                ALL_DONE)).isFalse();
        assertThat(AllTasksComplete.shouldTerminate("active", Json.readStored("{}"), ALL_DONE)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"disabling", "enabling", "terminating", "completed", "deleting"})
    void onlyASettledJobThatIsNotEndingIsTerminated(String state) {
        assertThat(AllTasksComplete.shouldTerminate(state, TERMINATE_JOB, ALL_DONE)).isFalse();
        assertThat(AllTasksComplete.shouldTerminate("disabled", TERMINATE_JOB, ALL_DONE)).isTrue();
    }

    @Test
    void aJobWithAJobManagerIsLeftAlone() {
        ObjectNode job = TERMINATE_JOB.deepCopy();
        job.putObject("jobManagerTask").put("id", "manager").put("commandLine", "manage");

        assertThat(AllTasksComplete.shouldTerminate("active", job, ALL_DONE)).isFalse();
    }

    @Test
    void countsFromTheStoreTakePreparingAsRunning() {
        assertThat(TaskCounts.fromStates(Map.of("active", 2L, "preparing", 1L, "running", 3L, "completed", 4L)))
                .isEqualTo(new TaskCounts(2, 4, 4));
        assertThat(TaskCounts.fromStates(Map.of())).isEqualTo(new TaskCounts(0, 0, 0));
    }
}
