package dev.rebatch.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.task.CloudTask;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    static final Instant T0 = Instant.parse("2024-07-01T10:00:00Z");

    static CloudTask succeeded(String id, long runMillis) {
        return task(id, "completed", 0, null, "success", runMillis, 0, 0);
    }

    static CloudTask failed(String id, Integer exitCode, String failureCode, int retries) {
        return task(id, "completed", exitCode, failureCode, "failure", 1000, retries, 0);
    }

    static CloudTask task(String id, String state, Integer exitCode, String failureCode, String result,
            long runMillis, int retries, int requeues) {
        StringBuilder json = new StringBuilder("{\"id\": \"" + id + "\", \"state\": \"" + state + "\"");
        json.append(", \"executionInfo\": {\"retryCount\": ").append(retries).append(", \"requeueCount\": ")
                .append(requeues);
        if (state.equals("completed")) {
            json.append(", \"startTime\": \"").append(T0).append("\", \"endTime\": \"")
                    .append(T0.plusMillis(runMillis)).append("\", \"result\": \"").append(result).append('"');
            if (exitCode != null) {
                json.append(", \"exitCode\": ").append(exitCode);
            }
            if (failureCode != null) {
                json.append(", \"failureInfo\": {\"category\": \"usererror\", \"code\": \"").append(failureCode)
                        .append("\", \"message\": \"m\"}");
            }
        }
        json.append("}}");
        try {
            return BatchJson.mapper().readValue(json.toString(), CloudTask.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<CloudTask> mixed() {
        List<CloudTask> tasks = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            tasks.add(succeeded("ok-" + i, i * 100L));
        }
        tasks.add(failed("f1", 1, "FailureExitCode", 3));
        tasks.add(failed("f2", 2, "FailureExitCode", 0));
        tasks.add(failed("f3", 1, "FailureExitCode", 3));
        tasks.add(failed("f4", 1, "FailureExitCode", 3));
        tasks.add(failed("f5", 1, "FailureExitCode", 3));
        tasks.add(failed("missing", null, "CommandProgramNotFound", 0));
        tasks.add(task("requeued", "completed", 0, null, "success", 50, 0, 2));
        return tasks;
    }

    @Test
    void countsGroupsFailures_andFindsTheSlowest() {
        RunSummary summary = RunSummary.of("render", "local", mixed(), Duration.ofMillis(12_345), false, null);
        assertThat(summary.total()).isEqualTo(15);
        assertThat(summary.succeeded()).isEqualTo(9);
        assertThat(summary.failed()).isEqualTo(6);
        assertThat(summary.incomplete()).isZero();
        assertThat(summary.retries()).isEqualTo(12);
        assertThat(summary.requeues()).isEqualTo(2);
        assertThat(summary.failures()).extracting(RunSummary.FailureGroup::label, RunSummary.FailureGroup::count,
                RunSummary.FailureGroup::taskIds).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("exit code 1, FailureExitCode", 4L,
                                List.of("f1", "f3", "f4")),
                        org.assertj.core.groups.Tuple.tuple("exit code 2, FailureExitCode", 1L, List.of("f2")),
                        org.assertj.core.groups.Tuple.tuple("no exit code, CommandProgramNotFound", 1L,
                                List.of("missing")));
        assertThat(summary.slowest()).extracting(RunSummary.SlowTask::taskId)
                .containsExactly("f1", "f2", "f3", "f4", "f5");
        assertThat(summary.exitCode()).isEqualTo(1);
        assertThat(summary.firstFailedTask()).isEqualTo("f1");
    }

    @Test
    void printsAHeadline_theGroups_theSlowest_andTheHints() {
        RunSummary summary = RunSummary.of("render", "local", mixed(), Duration.ofMillis(12_345), false, null);
        StringWriter text = new StringWriter();
        summary.print(new PrintWriter(text), List.of("Output: ./rebatch task output render f1"));
        assertThat(text.toString()).isEqualTo("""
                Job render on pool local: 15 tasks, 9 succeeded, 6 failed in 12.3 s.
                  retries: 12, requeues: 2
                Failures:
                  4 tasks  exit code 1, FailureExitCode          f1, f3, f4, ...
                  1 task   exit code 2, FailureExitCode          f2
                  1 task   no exit code, CommandProgramNotFound  missing
                Slowest tasks:
                  f1  1.0 s
                  f2  1.0 s
                  f3  1.0 s
                  f4  1.0 s
                  f5  1.0 s
                Output: ./rebatch task output render f1
                """);
    }

    @Test
    void allSucceeded_exitsZero() {
        RunSummary summary = RunSummary.of("j", "p", List.of(succeeded("a", 2500), succeeded("b", 300)),
                Duration.ofSeconds(3), false, "AllTasksComplete");
        assertThat(summary.exitCode()).isZero();
        assertThat(summary.headline()).isEqualTo("Job j on pool p: all 2 tasks succeeded in 3.0 s.");
        assertThat(summary.terminateReason()).as("the normal end is no news").isNull();
        assertThat(summary.slowest()).extracting(RunSummary.SlowTask::taskId).containsExactly("a", "b");
        assertThat(summary.firstFailedTask()).isNull();
    }

    @Test
    void aTimeout_countsWhatIsNotComplete_andExitsFour() {
        RunSummary summary = RunSummary.of("j", "p", List.of(succeeded("a", 10),
                task("b", "active", null, null, null, 0, 1, 0), task("c", "running", null, null, null, 0, 0, 0)),
                Duration.ofSeconds(2), true, null);
        assertThat(summary.incomplete()).isEqualTo(2);
        assertThat(summary.retries()).isEqualTo(1);
        assertThat(summary.exitCode()).isEqualTo(RunSummary.TIMED_OUT);
        assertThat(summary.headline()).isEqualTo("Job j on pool p: 2 of 3 tasks not complete after 2.0 s (timed "
                + "out); 1 succeeded, 0 failed.");
    }

    @Test
    void aJobEndedByATask_saysWhy() {
        RunSummary summary = RunSummary.of("j", "p", List.of(failed("guard", 9, "FailureExitCode", 0),
                task("after", "completed", null, null, "failure", 0, 0, 0)), Duration.ofSeconds(1), false,
                "TaskFailed");
        assertThat(summary.terminateReason()).isEqualTo("TaskFailed");
        StringWriter text = new StringWriter();
        summary.print(new PrintWriter(text), List.of());
        assertThat(text.toString()).contains("  the job was ended early: TaskFailed\n")
                .contains("  1 task  exit code 9, FailureExitCode  guard\n")
                .contains("  1 task  no exit code                  after\n");
    }

    @Test
    void json() {
        JsonNode json = RunSummary.of("render", "local", mixed(), Duration.ofMillis(12_345), false, null).toJson();
        assertThat(json.get("jobId").asText()).isEqualTo("render");
        assertThat(json.get("total").asLong()).isEqualTo(15);
        assertThat(json.get("succeeded").asLong()).isEqualTo(9);
        assertThat(json.get("failed").asLong()).isEqualTo(6);
        assertThat(json.get("retries").asLong()).isEqualTo(12);
        assertThat(json.get("requeues").asLong()).isEqualTo(2);
        assertThat(json.get("elapsedSeconds").asDouble()).isEqualTo(12.345);
        assertThat(json.get("timedOut").asBoolean()).isFalse();
        assertThat(json.at("/failures/0/exitCode").asInt()).isEqualTo(1);
        assertThat(json.at("/failures/0/failureCode").asText()).isEqualTo("FailureExitCode");
        assertThat(json.at("/failures/0/count").asInt()).isEqualTo(4);
        assertThat(json.at("/failures/0/taskIds").toString()).isEqualTo("[\"f1\",\"f3\",\"f4\"]");
        assertThat(json.at("/failures/2/exitCode").isNull()).isTrue();
        assertThat(json.at("/slowest/0/taskId").asText()).isEqualTo("f1");
        assertThat(json.at("/slowest/0/seconds").asDouble()).isEqualTo(1.0);
        assertThat(json.get("exitCode").asInt()).isEqualTo(1);
    }
}
