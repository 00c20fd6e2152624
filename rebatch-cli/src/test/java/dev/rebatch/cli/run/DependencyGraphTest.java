package dev.rebatch.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.model.task.TaskDependencies;
import dev.rebatch.model.task.TaskIdRange;
import dev.rebatch.model.task.TaskSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    private static TaskInFile task(int index, String id, TaskDependencies dependsOn) {
        return new TaskInFile(TaskSpec.of(id, "x").withDependsOn(dependsOn),
                JsonPath.ROOT.property("tasks").index(index), null);
    }

    @Test
    void parents_areTheNamedTasks_andThoseWithAnIntegerIdInARange() {
        List<TaskInFile> tasks = List.of(task(0, "1", null), task(1, "02", null), task(2, "b", null),
                task(3, "x", new TaskDependencies(List.of("B"), List.of(new TaskIdRange(1, 2)))));
        DependencyGraph graph = DependencyGraph.of(tasks, 100).orElseThrow();
        assertThat(graph.parentsOf().get(3)).as("ids ignoring case, and 02 is 2").containsExactly(2, 0, 1);
        assertThat(graph.parentsOf().get(0)).isEmpty();
        assertThat(graph.anyRange()).isTrue();
        assertThat(graph.childrenOf()).containsExactly(List.of(3), List.of(3), List.of(3), List.of());
    }

    @Test
    void namedParentsAlone_areNoRange() {
        List<TaskInFile> tasks = List.of(task(0, "a", null), task(1, "b", TaskDependencies.onTasks("a")));
        assertThat(DependencyGraph.of(tasks, 100).orElseThrow().anyRange()).isFalse();
    }

    @Test
    void moreEdgesThanTheLimit_giveNoGraph() {
        List<TaskInFile> tasks = List.of(task(0, "1", null), task(1, "2", null), task(2, "3", null),
                task(3, "x", TaskDependencies.onRange(1, 3)));
        assertThat(DependencyGraph.of(tasks, 3)).isPresent();
        assertThat(DependencyGraph.of(tasks, 2)).isEmpty();
    }

    @Test
    void aCycle_isFoundAmongTheWaitingTasks_evenFromATaskLeadingIntoIt() {
        // 0 waits for 1, 1 for 2, 2 for 1; 3 waits for nothing.
        DependencyGraph graph = new DependencyGraph(List.of(new int[] {1}, new int[] {2}, new int[] {1}, new int[0]),
                false);
        assertThat(graph.cycleAmong(new int[] {1, 1, 1, 0})).containsExactly(1, 2);
        assertThat(graph.cycleAmong(new int[] {0, 1, 1, 0})).containsExactly(1, 2);
    }
}
