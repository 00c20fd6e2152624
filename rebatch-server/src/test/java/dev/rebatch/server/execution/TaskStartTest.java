package dev.rebatch.server.execution;

import static dev.rebatch.server.execution.TaskCompletionTest.job;
import static dev.rebatch.server.execution.TaskCompletionTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskStartTest {

    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");

    private static String at(int seconds) {
        return T0.plusSeconds(seconds).toString();
    }

    @Test
    void aFirstStartSetsOnlyTheStartTime() {
        ObjectNode started = TaskStart.running(task(""), T0);

        assertThat(started.path("executionInfo").path("startTime").asText()).isEqualTo(at(0));
        assertThat(started.path("executionInfo").has("lastRetryTime")).isFalse();
    }

    @Test
    void theFirstStartOfARetryIsItsLastRetryTimeButARestartAfterARequeueIsNot() {
        ObjectNode task = TaskStart.running(task("\"constraints\":{\"maxTaskRetryCount\":3}"), T0);
        task = TaskCompletion.decide(task, job(""), AttemptOutcome.exited(1, T0, T0.plusSeconds(10)), T0.plusSeconds(11)).task();
        assertThat(task.path("executionInfo").path("lastRetryTime").asText()).isEqualTo(at(11));

        task = TaskStart.running(task, T0.plusSeconds(20));
        assertThat(task.path("executionInfo").path("startTime").asText()).isEqualTo(at(20));
        assertThat(task.path("executionInfo").path("lastRetryTime").asText()).isEqualTo(at(20));

        task = TaskCompletion.requeue(task, T0.plusSeconds(30)).task();
        task = TaskStart.running(task, T0.plusSeconds(40));
        assertThat(task.path("executionInfo").path("startTime").asText()).isEqualTo(at(40));
        assertThat(task.path("executionInfo").path("lastRetryTime").asText()).isEqualTo(at(20));
    }
}
