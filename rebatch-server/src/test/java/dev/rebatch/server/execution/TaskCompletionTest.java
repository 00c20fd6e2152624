package dev.rebatch.server.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.execution.TaskCompletion.Decision;
import dev.rebatch.server.http.Json;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskCompletionTest {

    private static final Instant START = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant END = Instant.parse("2026-03-10T12:05:00Z");
    private static final Instant NOW = Instant.parse("2026-03-10T12:05:01Z");

    /** A task as TaskRoutes stores it, with {@code extra} properties (JSON members without braces) added. */
    static ObjectNode task(String extra) {
        return Json.readStored("{\"id\":\"t\",\"commandLine\":\"run\",\"requiredSlots\":1,"
                + "\"executionInfo\":{\"retryCount\":0,\"requeueCount\":0}" + (extra.isEmpty() ? "" : "," + extra) + "}");
    }

    static ObjectNode job(String extra) {
        return Json.readStored("{\"id\":\"j\",\"onTaskFailure\":\"noaction\",\"onAllTasksComplete\":\"noaction\""
                + (extra.isEmpty() ? "" : "," + extra) + "}");
    }

    static final ObjectNode EXIT_OPTIONS_JOB = Json.readStored(
            "{\"id\":\"j\",\"onTaskFailure\":\"performexitoptionsjobaction\",\"constraints\":{\"maxTaskRetryCount\":0}}");

    private static JsonNode execution(Decision decision) {
        return decision.task().path("executionInfo");
    }

    @Nested
    class Success {

        @Test
        void exitCodeZeroCompletesWithSuccessAndSatisfiesDependents() {
            Decision decision = TaskCompletion.decide(task(""), job(""), AttemptOutcome.exited(0, START, END), NOW);

            assertThat(decision.state()).isEqualTo("completed");
            assertThat(decision.completed()).isTrue();
            assertThat(execution(decision).path("result").asText()).isEqualTo("success");
            assertThat(execution(decision).path("exitCode").asInt()).isZero();
            assertThat(execution(decision).path("startTime").asText()).isEqualTo("2026-03-10T12:00:00Z");
            assertThat(execution(decision).path("endTime").asText()).isEqualTo("2026-03-10T12:05:00Z");
            assertThat(execution(decision).has("failureInfo")).isFalse();
            assertThat(decision.exitCode()).isZero();
            assertThat(decision.result()).isEqualTo("success");
            assertThat(decision.jobAction()).isEqualTo(JobAction.NONE);
            assertThat(decision.dependencyAction()).isEqualTo(DependencyAction.SATISFY);
        }

        @Test
        void exitCodeZeroIsNeverRetriedEvenWithRetriesLeft() {
            Decision decision = TaskCompletion.decide(task("\"constraints\":{\"maxTaskRetryCount\":5}"), job(""),
                    AttemptOutcome.exited(0, START, END), NOW);

            assertThat(decision.completed()).isTrue();
            assertThat(execution(decision).path("retryCount").asInt()).isZero();
        }

        @Test
        void exitCodeZeroListedExplicitlyTakesItsOptions() {
            ObjectNode task = task("\"exitConditions\":{\"exitCodes\":[{\"code\":0,\"exitOptions\":"
                    + "{\"jobAction\":\"terminate\",\"dependencyAction\":\"block\"}}]}");

            Decision decision = TaskCompletion.decide(task, EXIT_OPTIONS_JOB, AttemptOutcome.exited(0, START, END), NOW);

            assertThat(decision.result()).isEqualTo("success");
            assertThat(decision.jobAction()).isEqualTo(JobAction.TERMINATE);
            assertThat(decision.dependencyAction()).isEqualTo(DependencyAction.BLOCK);
        }

        @Test
        void theDefaultExitOptionsDoNotApplyToExitCodeZero() {
            ObjectNode task = task("\"exitConditions\":{\"default\":{\"jobAction\":\"disable\",\"dependencyAction\":\"block\"}}");

            Decision decision = TaskCompletion.decide(task, EXIT_OPTIONS_JOB, AttemptOutcome.exited(0, START, END), NOW);

            assertThat(decision.jobAction()).isEqualTo(JobAction.NONE);
            assertThat(decision.dependencyAction()).isEqualTo(DependencyAction.SATISFY);
        }
    }

    @Nested
    class Failure {

        @Test
        void aNonZeroExitWithoutRetriesCompletesWithFailureExitCode() {
            Decision decision = TaskCompletion.decide(task(""), job(""), AttemptOutcome.exited(3, START, END), NOW);

            assertThat(decision.completed()).isTrue();
            assertThat(decision.exitCode()).isEqualTo(3);
            assertThat(decision.result()).isEqualTo("failure");
            assertThat(execution(decision).path("failureInfo").path("category").asText()).isEqualTo("usererror");
            assertThat(execution(decision).path("failureInfo").path("code").asText()).isEqualTo("FailureExitCode");
            assertThat(decision.dependencyAction()).isEqualTo(DependencyAction.BLOCK);
        }

        @Test
        void aNonZeroExitWithRetriesLeftGoesBackToActive() {
            ObjectNode task = task("\"constraints\":{\"maxTaskRetryCount\":2}");

            Decision decision = TaskCompletion.decide(task, job(""), AttemptOutcome.exited(1, START, END), NOW);

            assertThat(decision.state()).isEqualTo("active");
            assertThat(decision.completed()).isFalse();
            assertThat(execution(decision).path("retryCount").asInt()).isEqualTo(1);
            assertThat(execution(decision).path("lastRetryTime").asText()).isEqualTo("2026-03-10T12:05:01Z");
            assertThat(execution(decision).path("startTime").asText()).isEqualTo("2026-03-10T12:00:00Z");
            assertThat(execution(decision).has("endTime")).isFalse();
            assertThat(execution(decision).has("exitCode")).isFalse();
            assertThat(execution(decision).has("result")).isFalse();
            assertThat(execution(decision).has("failureInfo")).isFalse();
            assertThat(decision.exitCode()).isNull();
            assertThat(decision.result()).isNull();
            assertThat(decision.jobAction()).isEqualTo(JobAction.NONE);
            assertThat(decision.dependencyAction()).isNull();
        }

        @Test
        void retriesKeepTheRequeueCount() {
            ObjectNode task = task("\"constraints\":{\"maxTaskRetryCount\":2}");
            ((ObjectNode) task.get("executionInfo")).put("requeueCount", 4).put("lastRequeueTime", "2026-03-10T11:00:00Z");

            Decision decision = TaskCompletion.decide(task, job(""), AttemptOutcome.exited(1, START, END), NOW);

            assertThat(execution(decision).path("requeueCount").asInt()).isEqualTo(4);
            assertThat(execution(decision).path("lastRequeueTime").asText()).isEqualTo("2026-03-10T11:00:00Z");
        }

        @Test
        void aPreProcessingErrorIsNotRetried() {
            Decision decision = TaskCompletion.decide(task("\"constraints\":{\"maxTaskRetryCount\":-1}"), job(""),
                    AttemptOutcome.preProcessingFailed(FailureInfo.commandProgramNotFound("no such file: run"), START, END),
                    NOW);

            assertThat(decision.completed()).isTrue();
            assertThat(decision.exitCode()).isNull();
            assertThat(execution(decision).has("exitCode")).isFalse();
            assertThat(decision.result()).isEqualTo("failure");
            assertThat(execution(decision).path("failureInfo").path("code").asText()).isEqualTo("CommandProgramNotFound");
            assertThat(execution(decision).path("failureInfo").path("details").get(0).path("value").asText())
                    .isEqualTo("no such file: run");
            assertThat(execution(decision).path("retryCount").asInt()).isZero();
        }

        @Test
        void aLaunchFailureIsNotRetried() {
            Decision decision = TaskCompletion.decide(task("\"constraints\":{\"maxTaskRetryCount\":3}"), job(""),
                    AttemptOutcome.preProcessingFailed(FailureInfo.commandLaunchFailed("permission denied"), START, END),
                    NOW);

            assertThat(decision.completed()).isTrue();
            assertThat(execution(decision).path("failureInfo").path("code").asText()).isEqualTo("CommandLaunchFailed");
        }

        @Test
        void aFileUploadErrorIsNotRetried() {
            FailureInfo upload = new FailureInfo(FailureInfo.Category.USER_ERROR, "FileUploadMiscError", "upload failed");

            Decision decision = TaskCompletion.decide(task("\"constraints\":{\"maxTaskRetryCount\":3}"), job(""),
                    AttemptOutcome.fileUploadFailed(1, upload, START, END), NOW);

            assertThat(decision.completed()).isTrue();
            assertThat(decision.exitCode()).isEqualTo(1);
            assertThat(execution(decision).path("failureInfo").path("code").asText()).isEqualTo("FileUploadMiscError");
        }

        @Test
        void exceedingMaxWallClockTimeIsNotRetried() {
            Decision decision = TaskCompletion.decide(task("\"constraints\":{\"maxTaskRetryCount\":3}"), job(""),
                    AttemptOutcome.maxWallClockTimeExceeded(137, START, END), NOW);

            assertThat(decision.completed()).isTrue();
            assertThat(decision.exitCode()).isEqualTo(137);
            assertThat(execution(decision).path("failureInfo").path("code").asText()).isEqualTo("TaskEnded");
            assertThat(decision.dependencyAction()).isEqualTo(DependencyAction.BLOCK);
        }

        @Test
        void aSucceedingProgramWhoseUploadFailedStillFails() {
            FailureInfo upload = new FailureInfo(FailureInfo.Category.USER_ERROR, "FileUploadAccessDenied", "denied");

            Decision decision = TaskCompletion.decide(task(""), EXIT_OPTIONS_JOB,
                    AttemptOutcome.fileUploadFailed(0, upload, START, END), NOW);

            assertThat(decision.result()).isEqualTo("failure");
            assertThat(decision.exitCode()).isZero();
            assertThat(decision.jobAction()).isEqualTo(JobAction.TERMINATE);
            assertThat(decision.dependencyAction()).isEqualTo(DependencyAction.BLOCK);
        }
    }

    @Nested
    class RetryLimit {

        @Test
        void theTaskConstraintWins() {
            assertThat(TaskCompletion.maxTaskRetryCount(task("\"constraints\":{\"maxTaskRetryCount\":2}"),
                    job("\"constraints\":{\"maxTaskRetryCount\":7}"))).isEqualTo(2);
        }

        @Test
        void withoutItTheJobConstraintApplies() {
            assertThat(TaskCompletion.maxTaskRetryCount(task(""), job("\"constraints\":{\"maxTaskRetryCount\":7}")))
                    .isEqualTo(7);
            assertThat(TaskCompletion.maxTaskRetryCount(task("\"constraints\":{\"maxWallClockTime\":\"PT1H\"}"),
                    job("\"constraints\":{\"maxTaskRetryCount\":-1}"))).isEqualTo(-1);
        }

        @Test
        void withNeitherThereAreNoRetries() {
            assertThat(TaskCompletion.maxTaskRetryCount(task(""), Json.readStored("{\"id\":\"j\"}"))).isZero();
        }
    }

    @Nested
    class JobActions {

        @Test
        void aFailureTerminatesTheJobByDefaultWhenTheJobPerformsExitOptions() {
            Decision decision = TaskCompletion.decide(task(""), EXIT_OPTIONS_JOB, AttemptOutcome.exited(2, START, END), NOW);

            assertThat(decision.jobAction()).isEqualTo(JobAction.TERMINATE);
            assertThat(TaskCompletion.TASK_FAILED).isEqualTo("TaskFailed");
        }

        @Test
        void aJobWithOnTaskFailureNoActionTakesNone() {
            Decision decision = TaskCompletion.decide(task(""), job(""), AttemptOutcome.exited(2, START, END), NOW);

            assertThat(decision.jobAction()).isEqualTo(JobAction.NONE);
        }

        @Test
        void theListedExitCodeDecidesTheJobAction() {
            ObjectNode task = task("\"exitConditions\":{\"exitCodes\":[{\"code\":2,\"exitOptions\":{\"jobAction\":\"disable\"}}],"
                    + "\"default\":{\"jobAction\":\"none\"}}");

            assertThat(TaskCompletion.decide(task, EXIT_OPTIONS_JOB, AttemptOutcome.exited(2, START, END), NOW).jobAction())
                    .isEqualTo(JobAction.DISABLE);
            assertThat(TaskCompletion.decide(task, EXIT_OPTIONS_JOB, AttemptOutcome.exited(3, START, END), NOW).jobAction())
                    .isEqualTo(JobAction.NONE);
        }

        @Test
        void noJobActionWhileRetrying() {
            ObjectNode task = task("\"constraints\":{\"maxTaskRetryCount\":1}");

            assertThat(TaskCompletion.decide(task, EXIT_OPTIONS_JOB, AttemptOutcome.exited(2, START, END), NOW).jobAction())
                    .isEqualTo(JobAction.NONE);
        }

        @Test
        void aPreProcessingErrorTakesPreProcessingErrorOptionsElseDefault() {
            AttemptOutcome outcome = AttemptOutcome.preProcessingFailed(FailureInfo.commandProgramNotFound("x"), START, END);
            ObjectNode specific = task("\"exitConditions\":{\"preProcessingError\":{\"jobAction\":\"none\","
                    + "\"dependencyAction\":\"satisfy\"},\"default\":{\"jobAction\":\"disable\"}}");
            ObjectNode fallback = task("\"exitConditions\":{\"default\":{\"jobAction\":\"disable\"}}");

            Decision specificDecision = TaskCompletion.decide(specific, EXIT_OPTIONS_JOB, outcome, NOW);
            Decision fallbackDecision = TaskCompletion.decide(fallback, EXIT_OPTIONS_JOB, outcome, NOW);

            assertThat(specificDecision.jobAction()).isEqualTo(JobAction.NONE);
            assertThat(specificDecision.dependencyAction()).isEqualTo(DependencyAction.SATISFY);
            assertThat(fallbackDecision.jobAction()).isEqualTo(JobAction.DISABLE);
            assertThat(fallbackDecision.dependencyAction()).isEqualTo(DependencyAction.BLOCK);
        }
    }

    @Nested
    class Requeue {

        @Test
        void aLostAttemptIsRequeuedWithoutUsingARetry() {
            ObjectNode task = task("");
            ((ObjectNode) task.get("executionInfo")).put("retryCount", 2).put("startTime", "2026-03-10T12:00:00Z");

            Decision decision = TaskCompletion.requeue(task, NOW);

            assertThat(decision.state()).isEqualTo("active");
            assertThat(execution(decision).path("requeueCount").asInt()).isEqualTo(1);
            assertThat(execution(decision).path("lastRequeueTime").asText()).isEqualTo("2026-03-10T12:05:01Z");
            assertThat(execution(decision).path("retryCount").asInt()).isEqualTo(2);
            assertThat(decision.jobAction()).isEqualTo(JobAction.NONE);
            assertThat(decision.dependencyAction()).isNull();
        }
    }

    @Nested
    class Terminate {

        @Test
        void aTerminatedTaskCompletesWithFailureTaskEnded() {
            Decision decision = TaskCompletion.terminate(task(""), NOW);

            assertThat(decision.state()).isEqualTo("completed");
            assertThat(decision.result()).isEqualTo("failure");
            assertThat(decision.exitCode()).isNull();
            assertThat(execution(decision).path("endTime").asText()).isEqualTo("2026-03-10T12:05:01Z");
            assertThat(execution(decision).path("failureInfo").path("category").asText()).isEqualTo("usererror");
            assertThat(execution(decision).path("failureInfo").path("code").asText()).isEqualTo("TaskEnded");
            assertThat(execution(decision).path("failureInfo").path("message").asText())
                    .isEqualTo("Task Was Ended by User Request");
            assertThat(decision.jobAction()).isEqualTo(JobAction.NONE);
            assertThat(decision.dependencyAction()).isEqualTo(DependencyAction.BLOCK);
        }

        @Test
        void itsDependentsFollowTheDefaultExitOptions() {
            ObjectNode task = task("\"exitConditions\":{\"default\":{\"dependencyAction\":\"satisfy\"},"
                    + "\"preProcessingError\":{\"dependencyAction\":\"block\"}}");

            assertThat(TaskCompletion.terminate(task, NOW).dependencyAction()).isEqualTo(DependencyAction.SATISFY);
        }
    }

    @Nested
    class Reactivate {

        @Test
        void reactivationForgetsTheLastCompletionAndItsRetries() {
            ObjectNode failed = TaskCompletion.decide(task("\"constraints\":{\"maxTaskRetryCount\":1}"), job(""),
                    AttemptOutcome.exited(1, START, END), NOW).task();
            failed = TaskCompletion.decide(failed, job(""), AttemptOutcome.exited(1, START, END), NOW).task();
            assertThat(failed.path("executionInfo").path("retryCount").asInt()).isEqualTo(1);

            Decision decision = TaskCompletion.reactivate(failed);

            assertThat(decision.state()).isEqualTo("active");
            assertThat(execution(decision).path("retryCount").asInt()).isZero();
            assertThat(execution(decision).has("lastRetryTime")).isFalse();
            assertThat(execution(decision).has("exitCode")).isFalse();
            assertThat(execution(decision).has("failureInfo")).isFalse();
            assertThat(execution(decision).has("endTime")).isFalse();
            assertThat(execution(decision).has("result")).isFalse();
        }
    }

    @Nested
    class DependencyActionFromTheStoredDocument {

        @Test
        void isWhatTheCompletionDecided() {
            ObjectNode task = task("\"exitConditions\":{\"exitCodeRanges\":[{\"start\":10,\"end\":20,"
                    + "\"exitOptions\":{\"dependencyAction\":\"satisfy\"}}],\"fileUploadError\":{\"dependencyAction\":\"satisfy\"}}");
            FailureInfo upload = new FailureInfo(FailureInfo.Category.SERVER_ERROR, "FileUploadMiscError", "failed");
            for (AttemptOutcome outcome : new AttemptOutcome[] {AttemptOutcome.exited(0, START, END),
                    AttemptOutcome.exited(15, START, END), AttemptOutcome.exited(21, START, END),
                    AttemptOutcome.fileUploadFailed(3, upload, START, END),
                    AttemptOutcome.preProcessingFailed(FailureInfo.commandLaunchFailed("x"), START, END),
                    AttemptOutcome.maxWallClockTimeExceeded(null, START, END)}) {
                Decision decision = TaskCompletion.decide(task, job(""), outcome, NOW);

                assertThat(TaskCompletion.dependencyAction(decision.task())).as("%s", outcome)
                        .isEqualTo(decision.dependencyAction());
            }
        }

        @Test
        void aTaskCompletedBeforeFailuresWereRecordedBlocks() {
            assertThat(TaskCompletion.dependencyAction(task(""))).isEqualTo(DependencyAction.BLOCK);
        }
    }

    @Test
    void theInputsAreNotChanged() {
        ObjectNode task = task("\"constraints\":{\"maxTaskRetryCount\":1}");
        ObjectNode job = job("");
        String taskBefore = task.toString();
        String jobBefore = job.toString();

        TaskCompletion.decide(task, job, AttemptOutcome.exited(1, START, END), NOW);
        TaskCompletion.decide(task, job, AttemptOutcome.exited(0, START, END), NOW);
        TaskCompletion.requeue(task, NOW);
        TaskCompletion.terminate(task, NOW);
        TaskCompletion.reactivate(task);

        assertThat(task.toString()).isEqualTo(taskBefore);
        assertThat(job.toString()).isEqualTo(jobBefore);
    }

    @Test
    void aDecisionIsConsistent() {
        assertThatThrownBy(() -> new Decision(task(""), "running", JobAction.NONE, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision(task(""), "completed", JobAction.NONE, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision(task(""), "active", JobAction.NONE, DependencyAction.BLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOutcomeSaysWhatHappened() {
        assertThatThrownBy(() -> new AttemptOutcome(1, FailureInfo.commandLaunchFailed("x"), START, END, true))
                .as("a pre-processing error has no exit code").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AttemptOutcome(null, null, START, END, true))
                .as("a pre-processing error says why").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AttemptOutcome(null, null, START, END, false))
                .as("a program that ran has an exit code").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AttemptOutcome.fileUploadFailed(0, FailureInfo.failureExitCode(), START, END))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
