package dev.rebatch.server.execution;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tasks a task depends on (spec TaskDependencies): explicit ids and ranges of integer ids. Ranges are kept as
 * ranges and never expanded: one range may span two billion ids.
 *
 * <p>What the parents mean, Batch's rules as Rebatch reads them:
 * <ul>
 *   <li>A dependent runs once every parent is satisfied: completed with dependencyAction satisfy (by default,
 *       succeeded; see {@link ExitConditions}).</li>
 *   <li>A parent named in {@code taskIds} that does not exist keeps the dependent waiting: it may be added later
 *       (the results of an add collection come back in any order, and a client may add a dependent first). Nothing
 *       in the spec requires the parents to exist when the dependent is added, and no error code says so.</li>
 *   <li>A range selects the tasks that exist with an integer id inside it ("the range 1..10 will select tasks 3 and
 *       7"): integers without a task are not waited for. Tasks 4, 04 and 004 are one id, "the first one to complete
 *       will satisfy the dependency"; Rebatch takes that id as satisfied when any of them is, and blocked when all
 *       of them completed and none satisfied it.</li>
 * </ul>
 */
public record TaskDependencies(List<String> taskIds, List<TaskIdRange> taskIdRanges) {

    public static final TaskDependencies NONE = new TaskDependencies(List.of(), List.of());

    public TaskDependencies {
        taskIds = List.copyOf(taskIds);
        taskIdRanges = List.copyOf(taskIdRanges);
    }

    /** The dependsOn of a (validated) task document; {@link #NONE} when absent. */
    public static TaskDependencies of(JsonNode dependsOn) {
        if (dependsOn == null || !dependsOn.isObject()) {
            return NONE;
        }
        List<String> ids = new ArrayList<>();
        dependsOn.path("taskIds").forEach(id -> ids.add(id.asText()));
        List<TaskIdRange> ranges = new ArrayList<>();
        dependsOn.path("taskIdRanges").forEach(range ->
                ranges.add(new TaskIdRange(range.path("start").asInt(), range.path("end").asInt())));
        return new TaskDependencies(ids, ranges);
    }

    public boolean isEmpty() {
        return taskIds.isEmpty() && taskIdRanges.isEmpty();
    }

    /** Whether {@code taskId} is one of the parents: named (ids compare case-insensitively) or in a range. */
    public boolean dependsOn(String taskId) {
        String key = lower(taskId);
        return taskIds.stream().anyMatch(id -> lower(id).equals(key))
                || taskIdRanges.stream().anyMatch(range -> range.contains(taskId));
    }

    /**
     * Whether the dependent may run, given the tasks of its job that may be its parents: at least the named ones and
     * every task with an integer id in a range that exists. Others are ignored. A blocked parent makes the dependent
     * {@link Readiness#BLOCKED} even while other parents are still running: it can never run as things stand.
     */
    public Readiness readiness(Collection<ParentTask> tasks) {
        Map<String, ParentTask> byId = new HashMap<>();
        tasks.forEach(task -> byId.putIfAbsent(lower(task.id()), task));
        boolean waiting = false;
        for (String id : taskIds) {
            ParentTask parent = byId.get(lower(id));
            if (parent == null || !parent.completed()) {
                waiting = true;
            } else if (parent.action() == DependencyAction.BLOCK) {
                return Readiness.BLOCKED;
            }
        }
        for (TaskIdRange range : taskIdRanges) {
            Map<Integer, List<ParentTask>> byValue = new TreeMap<>();
            for (ParentTask task : tasks) {
                if (range.contains(task.id())) {
                    byValue.computeIfAbsent(TaskIdRange.integerValue(task.id()).getAsInt(), v -> new ArrayList<>())
                            .add(task);
                }
            }
            for (List<ParentTask> sameId : byValue.values()) {
                if (sameId.stream().anyMatch(task -> task.action() == DependencyAction.SATISFY)) {
                    continue;
                }
                if (sameId.stream().allMatch(ParentTask::completed)) {
                    return Readiness.BLOCKED;
                }
                waiting = true;
            }
        }
        return waiting ? Readiness.WAITING : Readiness.READY;
    }

    /** Batch ids are case-insensitive (the store compares them lowercased the same way). */
    private static String lower(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
