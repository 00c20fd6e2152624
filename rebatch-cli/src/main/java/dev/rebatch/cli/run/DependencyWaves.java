package dev.rebatch.cli.run;

import dev.rebatch.model.task.TaskSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The order to add the tasks in, and no cycles. A cycle (a waits for b, b for a) would keep its tasks waiting for
 * good, so it is refused naming the tasks on it. Only a range dependency needs its parents added first (a range waits
 * only for the tasks that exist); without one, all tasks go in one wave, in the file's order.
 */
final class DependencyWaves {

    private final JobFileErrors errors;

    DependencyWaves(JobFileErrors errors) {
        this.errors = errors;
    }

    /**
     * The waves of {@code tasks}, whose dependencies name only tasks among them.
     *
     * @param notes where a sentence is added when there are too many dependencies to check
     */
    List<List<TaskSpec>> of(List<TaskInFile> tasks, List<String> notes) throws JobFileException {
        List<TaskSpec> all = tasks.stream().map(TaskInFile::task).toList();
        if (tasks.stream().noneMatch(entry -> entry.task().dependsOn() != null)) {
            return List.of(all);
        }
        Optional<DependencyGraph> graph = DependencyGraph.of(tasks, DependencyGraph.MAX_CHECKED_EDGES);
        if (graph.isEmpty()) {
            notes.add("the dependencies name more than " + DependencyGraph.MAX_CHECKED_EDGES + " parent tasks in all: "
                    + "they are not checked for cycles, and the tasks are added in the file's order.");
            return List.of(all);
        }
        List<List<TaskSpec>> waves = layers(tasks, graph.get());
        return graph.get().anyRange() ? waves : List.of(all);
    }

    /** Each wave: the tasks whose parents are all in earlier waves, in the file's order. */
    private List<List<TaskSpec>> layers(List<TaskInFile> tasks, DependencyGraph graph) throws JobFileException {
        int n = tasks.size();
        int[] waiting = new int[n];
        List<Integer> ready = new ArrayList<>();
        for (int index = 0; index < n; index++) {
            waiting[index] = graph.parentsOf().get(index).length;
            if (waiting[index] == 0) {
                ready.add(index);
            }
        }
        List<List<Integer>> children = graph.childrenOf();
        List<List<TaskSpec>> waves = new ArrayList<>();
        int placed = 0;
        while (!ready.isEmpty()) {
            ready.sort(Comparator.naturalOrder());
            waves.add(ready.stream().map(index -> tasks.get(index).task()).toList());
            placed += ready.size();
            List<Integer> next = new ArrayList<>();
            for (int parent : ready) {
                for (int child : children.get(parent)) {
                    if (--waiting[child] == 0) {
                        next.add(child);
                    }
                }
            }
            ready = next;
        }
        if (placed < n) {
            throw cycle(tasks, graph.cycleAmong(waiting));
        }
        return waves;
    }

    private JobFileException cycle(List<TaskInFile> tasks, List<Integer> loop) {
        TaskInFile first = tasks.get(loop.get(0));
        // Told as "a waits for b waits for c waits for a".
        String text = loop.stream().map(index -> tasks.get(index).task().id())
                .collect(Collectors.joining(" waits for ")) + " waits for " + first.task().id();
        return errors.at(first.origin().property("dependsOn"), "the dependencies go round in a cycle: " + text
                + "; none of these tasks could ever run");
    }
}
