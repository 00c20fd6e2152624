package dev.rebatch.cli.run;

import dev.rebatch.model.task.TaskDependencies;
import dev.rebatch.model.task.TaskIdRange;
import dev.rebatch.server.api.BatchIds;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Each task's dependencies, checked one by one: they must name tasks of this file (a missing parent keeps its
 * dependent waiting for good), never the task itself, and ranges must run forwards. Cycles, which only the whole
 * graph shows, are {@link DependencyWaves}'.
 */
final class DependencyChecks {

    private final JobFileErrors errors;

    DependencyChecks(JobFileErrors errors) {
        this.errors = errors;
    }

    void check(List<TaskInFile> tasks) throws JobFileException {
        Set<String> ids = tasks.stream().map(entry -> entry.task().id().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        for (TaskInFile entry : tasks) {
            TaskDependencies dependsOn = entry.task().dependsOn();
            if (dependsOn != null) {
                JsonPath path = entry.origin().property("dependsOn");
                checkTaskIds(entry, dependsOn, path.property("taskIds"), ids);
                checkRanges(entry, dependsOn, path.property("taskIdRanges"));
            }
        }
    }

    private void checkTaskIds(TaskInFile entry, TaskDependencies dependsOn, JsonPath path, Set<String> ids)
            throws JobFileException {
        List<String> parents = dependsOn.taskIds() == null ? List.of() : dependsOn.taskIds();
        for (int index = 0; index < parents.size(); index++) {
            String parent = parents.get(index);
            JsonPath at = path.index(index);
            if (parent == null || !BatchIds.isValid(parent)) {
                throw errors.invalidId(at, parent, "task id");
            }
            if (parent.equalsIgnoreCase(entry.task().id())) {
                throw errors.at(at, "the task " + entry.task().id() + " depends on itself: it could never run");
            }
            if (!ids.contains(parent.toLowerCase(Locale.ROOT))) {
                throw errors.at(at, "depends on the task " + parent + ", which is not in this file: "
                        + entry.task().id() + " would wait for it forever");
            }
        }
    }

    private void checkRanges(TaskInFile entry, TaskDependencies dependsOn, JsonPath path) throws JobFileException {
        List<TaskIdRange> ranges = dependsOn.taskIdRanges() == null ? List.of() : dependsOn.taskIdRanges();
        for (int index = 0; index < ranges.size(); index++) {
            TaskIdRange range = ranges.get(index);
            JsonPath at = path.index(index);
            if (range == null) {
                throw errors.at(at, "expected {\"start\": A, \"end\": B}");
            }
            if (range.start() > range.end()) {
                throw errors.at(at, "start " + range.start() + " is after end " + range.end());
            }
            OptionalInt own = dev.rebatch.server.execution.TaskIdRange.integerValue(entry.task().id());
            if (own.isPresent() && range.start() <= own.getAsInt() && own.getAsInt() <= range.end()) {
                throw errors.at(at, "the range " + range.start() + ".." + range.end() + " holds the task's own id "
                        + entry.task().id() + ": it could never run");
            }
        }
    }
}
