package dev.rebatch.server.execution;

import static dev.rebatch.server.execution.TaskCompletionTest.job;
import static dev.rebatch.server.execution.TaskCompletionTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.execution.TaskCompletion.Decision;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TaskCompletionProperties {

    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");

    /** Runs attempts that all exit with {@code exitCode} until the task completes or {@code cap} attempts ran. */
    private static int attemptsUntilCompleted(ObjectNode task, ObjectNode job, int exitCode, int cap) {
        ObjectNode current = task;
        for (int attempt = 1; attempt <= cap; attempt++) {
            Instant start = T0.plus(Duration.ofMinutes(attempt));
            Decision decision = TaskCompletion.decide(current, job,
                    AttemptOutcome.exited(exitCode, start, start.plusSeconds(30)), start.plusSeconds(31));
            assertThat(decision.task().path("executionInfo").path("retryCount").asInt())
                    .as("retryCount after attempt %d", attempt).isEqualTo(decision.completed() ? attempt - 1 : attempt);
            if (decision.completed()) {
                assertThat(decision.result()).isEqualTo("failure");
                assertThat(decision.exitCode()).isEqualTo(exitCode);
                return attempt;
            }
            current = TaskStart.running(decision.task(), start.plusSeconds(45));
        }
        return -1;
    }

    @Property
    void aTaskFailingForeverRunsExactlyMaxTaskRetryCountPlusOneTimes(@ForAll @IntRange(max = 50) int maxTaskRetryCount,
                                                                     @ForAll("failingExitCodes") int exitCode,
                                                                     @ForAll boolean setOnTheJob) {
        ObjectNode task = setOnTheJob ? task("") : task("\"constraints\":{\"maxTaskRetryCount\":" + maxTaskRetryCount + "}");
        ObjectNode job = job("");
        if (setOnTheJob) {
            job.withObjectProperty("constraints").put("maxTaskRetryCount", maxTaskRetryCount);
        }

        assertThat(attemptsUntilCompleted(task, job, exitCode, maxTaskRetryCount + 5)).isEqualTo(maxTaskRetryCount + 1);
    }

    @Property(tries = 50)
    void withMinusOneAFailingTaskNeverCompletes(@ForAll("failingExitCodes") int exitCode,
                                                @ForAll @IntRange(min = 1, max = 300) int attempts) {
        assertThat(attemptsUntilCompleted(task("\"constraints\":{\"maxTaskRetryCount\":-1}"), job(""), exitCode, attempts))
                .isEqualTo(-1);
    }

    @Property
    void aTaskThatSucceedsAfterFailuresCompletesWithSuccess(@ForAll @IntRange(max = 20) int maxTaskRetryCount,
                                                            @ForAll @IntRange(max = 20) int failures) {
        ObjectNode current = task("\"constraints\":{\"maxTaskRetryCount\":" + maxTaskRetryCount + "}");
        int attempt = 0;
        Decision decision;
        do {
            attempt++;
            int exitCode = attempt <= failures ? 1 : 0;
            decision = TaskCompletion.decide(current, job(""), AttemptOutcome.exited(exitCode, T0, T0), T0);
            current = decision.task();
        } while (!decision.completed());

        boolean succeeded = failures <= maxTaskRetryCount;
        assertThat(decision.result()).isEqualTo(succeeded ? "success" : "failure");
        assertThat(attempt).isEqualTo(succeeded ? failures + 1 : maxTaskRetryCount + 1);
    }

    @Property
    void requeuesNeverUseRetries(@ForAll @IntRange(max = 10) int retriesSoFar, @ForAll @IntRange(min = 1, max = 10) int requeues) {
        ObjectNode current = task("");
        current.withObjectProperty("executionInfo").put("retryCount", retriesSoFar);
        for (int i = 0; i < requeues; i++) {
            current = TaskCompletion.requeue(current, T0.plusSeconds(i)).task();
        }

        assertThat(current.path("executionInfo").path("retryCount").asInt()).isEqualTo(retriesSoFar);
        assertThat(current.path("executionInfo").path("requeueCount").asInt()).isEqualTo(requeues);
        assertThat(current.path("executionInfo").path("lastRequeueTime").asText())
                .isEqualTo(T0.plusSeconds(requeues - 1).toString());
    }

    @Provide
    Arbitrary<Integer> failingExitCodes() {
        return Arbitraries.integers().filter(code -> code != 0);
    }
}
