package dev.rebatch.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

class TaskDependenciesProperties {

    /** A parent's situation: 0 not completed, 1 satisfied, 2 blocked. */
    private static ParentTask parent(String id, int situation) {
        return switch (situation) {
            case 0 -> ParentTask.notCompleted(id);
            case 1 -> new ParentTask(id, true, DependencyAction.SATISFY);
            default -> new ParentTask(id, true, DependencyAction.BLOCK);
        };
    }

    @Property
    void namedParentsMakeADependentReadyOnlyWhenAllSatisfiedAndBlockedWhenAnyBlocks(
            @ForAll @Size(max = 8) @UniqueElements List<@IntRange(max = 99) Integer> named,
            @ForAll("situations") Map<Integer, Integer> situations) {
        TaskDependencies dependencies = new TaskDependencies(
                named.stream().map(n -> "task-" + n).toList(), List.of());
        List<ParentTask> existing = situations.entrySet().stream()
                .map(entry -> parent("TASK-" + entry.getKey(), entry.getValue())).toList();

        boolean anyBlocked = named.stream().anyMatch(n -> situations.get(n) != null && situations.get(n) == 2);
        boolean allSatisfied = named.stream().allMatch(n -> situations.get(n) != null && situations.get(n) == 1);
        assertThat(dependencies.readiness(existing)).isEqualTo(
                anyBlocked ? Readiness.BLOCKED : allSatisfied ? Readiness.READY : Readiness.WAITING);
    }

    @Property
    void theOrderOfTheTasksDoesNotMatter(@ForAll("situations") Map<Integer, Integer> situations,
                                         @ForAll @IntRange(max = 99) int start, @ForAll @IntRange(max = 20) int length,
                                         @ForAll long seed) {
        TaskDependencies dependencies = new TaskDependencies(List.of("7", "x"),
                List.of(new TaskIdRange(start, start + length)));
        List<ParentTask> tasks = new ArrayList<>();
        situations.forEach((n, situation) -> tasks.add(parent((n % 3 == 0 ? "0" : "") + n, situation)));
        tasks.add(parent("x", situations.getOrDefault(0, 1)));
        List<ParentTask> shuffled = new ArrayList<>(tasks);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(dependencies.readiness(shuffled)).isEqualTo(dependencies.readiness(tasks));
    }

    @Property
    void aRangeIsReadyExactlyWhenEveryExistingTaskInItSatisfied(@ForAll("situations") Map<Integer, Integer> situations,
                                                               @ForAll @IntRange(max = 99) int start,
                                                               @ForAll @IntRange(max = 20) int length) {
        TaskIdRange range = new TaskIdRange(start, start + length);
        List<ParentTask> tasks = situations.entrySet().stream()
                .map(entry -> parent(Integer.toString(entry.getKey()), entry.getValue())).collect(Collectors.toList());

        List<Integer> inside = situations.keySet().stream().filter(n -> start <= n && n <= start + length).toList();
        Readiness expected = inside.stream().anyMatch(n -> situations.get(n) == 2) ? Readiness.BLOCKED
                : inside.stream().allMatch(n -> situations.get(n) == 1) ? Readiness.READY : Readiness.WAITING;
        assertThat(new TaskDependencies(List.of(), List.of(range)).readiness(tasks)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Map<Integer, Integer>> situations() {
        return Arbitraries.maps(Arbitraries.integers().between(0, 99), Arbitraries.integers().between(0, 2))
                .ofMaxSize(30);
    }
}
