package dev.rebatch.cli.run;

import dev.rebatch.model.task.TaskDependencies;
import dev.rebatch.model.task.TaskIdRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which tasks each task waits for, by their index in the file: those its taskIds name, and every task whose id is an
 * integer in one of its taskIdRanges.
 *
 * @param parentsOf for each task, the indexes of the tasks it waits for
 * @param anyRange  whether some task depends on a range of ids
 */
record DependencyGraph(List<int[]> parentsOf, boolean anyRange) {

    /** Beyond this many dependency edges the graph is not checked for cycles (a range may name many tasks). */
    static final long MAX_CHECKED_EDGES = 2_000_000;

    /**
     * The graph of {@code tasks}, whose taskIds name only tasks among them; empty when the edges would be more than
     * {@code maxEdges}.
     */
    static Optional<DependencyGraph> of(List<TaskInFile> tasks, long maxEdges) {
        int n = tasks.size();
        Map<String, Integer> indexById = new HashMap<>();
        TreeMap<Integer, List<Integer>> byInteger = new TreeMap<>();
        for (int index = 0; index < n; index++) {
            String id = tasks.get(index).task().id();
            indexById.put(id.toLowerCase(Locale.ROOT), index);
            OptionalInt value = dev.rebatch.server.execution.TaskIdRange.integerValue(id);
            if (value.isPresent()) {
                byInteger.computeIfAbsent(value.getAsInt(), key -> new ArrayList<>()).add(index);
            }
        }
        List<int[]> parentsOf = new ArrayList<>(n);
        boolean anyRange = false;
        long edges = 0;
        for (TaskInFile entry : tasks) {
            Set<Integer> parents = new LinkedHashSet<>();
            TaskDependencies dependsOn = entry.task().dependsOn();
            if (dependsOn != null) {
                if (dependsOn.taskIds() != null) {
                    dependsOn.taskIds().forEach(id -> parents.add(indexById.get(id.toLowerCase(Locale.ROOT))));
                }
                if (dependsOn.taskIdRanges() != null) {
                    for (TaskIdRange range : dependsOn.taskIdRanges()) {
                        anyRange = true;
                        Collection<List<Integer>> inRange = byInteger.subMap(range.start(), true, range.end(), true)
                                .values();
                        for (List<Integer> same : inRange) {
                            parents.addAll(same);
                            if (edges + parents.size() > maxEdges) {
                                return Optional.empty();
                            }
                        }
                    }
                }
            }
            edges += parents.size();
            parentsOf.add(parents.stream().mapToInt(Integer::intValue).toArray());
        }
        return Optional.of(new DependencyGraph(parentsOf, anyRange));
    }

    /** For each task, the indexes of the tasks that wait for it. */
    List<List<Integer>> childrenOf() {
        List<List<Integer>> children = new ArrayList<>(parentsOf.size());
        for (int index = 0; index < parentsOf.size(); index++) {
            children.add(new ArrayList<>());
        }
        for (int child = 0; child < parentsOf.size(); child++) {
            for (int parent : parentsOf.get(child)) {
                children.get(parent).add(child);
            }
        }
        return children;
    }

    /**
     * A cycle among the tasks still {@code waiting} for some parents once every other task was placed (each of them
     * waits for another waiting one, so there is one), as the indexes in the order they wait for each other.
     */
    List<Integer> cycleAmong(int[] waiting) {
        int start = 0;
        while (waiting[start] == 0) {
            start++;
        }
        // Walk to waiting parents until a task repeats: the walk from there is a cycle.
        List<Integer> walk = new ArrayList<>();
        Map<Integer, Integer> seenAt = new HashMap<>();
        int current = start;
        while (!seenAt.containsKey(current)) {
            seenAt.put(current, walk.size());
            walk.add(current);
            current = Arrays.stream(parentsOf.get(current)).filter(parent -> waiting[parent] > 0).findFirst()
                    .orElseThrow();
        }
        return new ArrayList<>(walk.subList(seenAt.get(current), walk.size()));
    }
}
