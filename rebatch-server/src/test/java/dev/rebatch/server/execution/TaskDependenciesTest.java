package dev.rebatch.server.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.server.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskDependenciesTest {

    private static final TaskDependencies ON_A_AND_B = new TaskDependencies(List.of("A", "b"), List.of());
    private static final TaskDependencies ON_1_TO_10 = new TaskDependencies(List.of(), List.of(new TaskIdRange(1, 10)));

    private static ParentTask satisfied(String id) {
        return new ParentTask(id, true, DependencyAction.SATISFY);
    }

    private static ParentTask blocked(String id) {
        return new ParentTask(id, true, DependencyAction.BLOCK);
    }

    @Test
    void parsesTheStoredDependsOn() {
        TaskDependencies parsed = TaskDependencies.of(Json.readStored(
                "{\"taskIds\":[\"rain\",\"sun\"],\"taskIdRanges\":[{\"start\":1,\"end\":3},{\"start\":9,\"end\":9}]}"));

        assertThat(parsed.taskIds()).containsExactly("rain", "sun");
        assertThat(parsed.taskIdRanges()).containsExactly(new TaskIdRange(1, 3), new TaskIdRange(9, 9));
        assertThat(TaskDependencies.of(null)).isEqualTo(TaskDependencies.NONE);
        assertThat(TaskDependencies.NONE.isEmpty()).isTrue();
    }

    @Test
    void namesItsParentsCaseInsensitivelyAndByRange() {
        assertThat(ON_A_AND_B.dependsOn("a")).isTrue();
        assertThat(ON_A_AND_B.dependsOn("B")).isTrue();
        assertThat(ON_A_AND_B.dependsOn("c")).isFalse();
        assertThat(ON_1_TO_10.dependsOn("007")).isTrue();
        assertThat(ON_1_TO_10.dependsOn("11")).isFalse();
        assertThat(ON_1_TO_10.dependsOn("5flamingoes")).isFalse();
    }

    @Test
    void withoutDependenciesATaskIsReady() {
        assertThat(TaskDependencies.NONE.readiness(List.of())).isEqualTo(Readiness.READY);
    }

    @Test
    void aDependentIsReadyOnceEveryNamedParentSatisfiedIt() {
        assertThat(ON_A_AND_B.readiness(List.of(satisfied("a"), satisfied("B")))).isEqualTo(Readiness.READY);
    }

    @Test
    void aParentStillRunningOrNotAddedYetKeepsItWaiting() {
        assertThat(ON_A_AND_B.readiness(List.of(satisfied("A"), ParentTask.notCompleted("b")))).isEqualTo(Readiness.WAITING);
        assertThat(ON_A_AND_B.readiness(List.of(satisfied("A")))).isEqualTo(Readiness.WAITING);
    }

    @Test
    void aBlockingParentBlocksEvenWhileOthersRun() {
        assertThat(ON_A_AND_B.readiness(List.of(blocked("A"), ParentTask.notCompleted("b")))).isEqualTo(Readiness.BLOCKED);
    }

    @Test
    void tasksThatAreNotParentsAreIgnored() {
        assertThat(ON_A_AND_B.readiness(List.of(satisfied("A"), satisfied("B"), blocked("C"), blocked("12"))))
                .isEqualTo(Readiness.READY);
        assertThat(ON_1_TO_10.readiness(List.of(satisfied("1"), blocked("11"), blocked("x")))).isEqualTo(Readiness.READY);
    }

    @Test
    void aRangeWaitsForTheTasksInItThatExist() {
        assertThat(ON_1_TO_10.readiness(List.of(satisfied("3"), satisfied("7"), ParentTask.notCompleted("5flamingoes"))))
                .isEqualTo(Readiness.READY);
        assertThat(ON_1_TO_10.readiness(List.of(satisfied("3"), ParentTask.notCompleted("7")))).isEqualTo(Readiness.WAITING);
        assertThat(ON_1_TO_10.readiness(List.of(satisfied("3"), blocked("10")))).isEqualTo(Readiness.BLOCKED);
        assertThat(ON_1_TO_10.readiness(List.of())).isEqualTo(Readiness.READY);
    }

    @Test
    void idsThatDifferOnlyInLeadingZerosAreOneParentSatisfiedByAnyOfThem() {
        assertThat(ON_1_TO_10.readiness(List.of(satisfied("04"), ParentTask.notCompleted("4")))).isEqualTo(Readiness.READY);
        assertThat(ON_1_TO_10.readiness(List.of(blocked("04"), ParentTask.notCompleted("004")))).isEqualTo(Readiness.WAITING);
        assertThat(ON_1_TO_10.readiness(List.of(blocked("04"), satisfied("004")))).isEqualTo(Readiness.READY);
        assertThat(ON_1_TO_10.readiness(List.of(blocked("04"), blocked("4")))).isEqualTo(Readiness.BLOCKED);
    }

    @Test
    void aStoredParentTakesTheDependencyActionItsCompletionDecided() {
        String failedButSatisfying = "{\"id\":\"p\",\"exitConditions\":{\"default\":{\"dependencyAction\":\"satisfy\"}},"
                + "\"executionInfo\":{\"exitCode\":1,\"result\":\"failure\",\"failureInfo\":{\"category\":\"usererror\","
                + "\"code\":\"FailureExitCode\"}}}";
        String failed = "{\"id\":\"p\",\"executionInfo\":{\"exitCode\":1,\"result\":\"failure\"}}";

        assertThat(ParentTask.of("p", "completed", Json.readStored(failedButSatisfying)).action())
                .isEqualTo(DependencyAction.SATISFY);
        assertThat(ParentTask.of("p", "completed", Json.readStored(failed)).action()).isEqualTo(DependencyAction.BLOCK);
        assertThat(ParentTask.of("p", "running", Json.readStored(failed))).isEqualTo(ParentTask.notCompleted("p"));
    }

    @Test
    void aParentIsConsistent() {
        assertThatThrownBy(() -> new ParentTask("p", true, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParentTask("p", false, DependencyAction.SATISFY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskIdRange(5, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
