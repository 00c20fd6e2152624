package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.server.execution.ParentTask;
import dev.rebatch.server.execution.Readiness;
import dev.rebatch.server.execution.TaskDependencies;
import dev.rebatch.server.execution.TaskIdRange;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether a waiting task's dependencies let it run: asked for every task with {@code dependsOn} before it is granted.
 * The rule is {@link TaskDependencies#readiness} (each parent's exit options say whether its completion satisfies or
 * blocks its dependents); this class finds the parents it needs.
 *
 * <p>Parents are looked up by id: the ids in {@code taskIds}, and every integer of each {@code taskIdRanges} range
 * in its plain decimal spelling. So a range sees tasks {@code 7} and {@code 12}, not {@code 007} (which Batch counts
 * as task 7); and a range spanning {@value #MAX_RANGE} ids or more is not expanded: such a task waits (Batch allows
 * ranges of any size). Both are documented limits (docs/compatibility.md).
 */
public final class DependencyReadiness {

    /** Ranges spanning this many ids or more are not expanded per look; such a task waits. */
    static final int MAX_RANGE = 10_000;

    private DependencyReadiness() {}

    /** Whether {@code task} may run: a task without dependencies is ready. */
    public static boolean isReady(StoredResource task, Function<Collection<String>, List<StoredResource>> siblings) {
        return readiness(task, siblings) == Readiness.READY;
    }

    /**
     * Where {@code task}'s dependencies stand.
     *
     * @param siblings finds the tasks of the same job with the given ids (those that exist)
     */
    public static Readiness readiness(StoredResource task, Function<Collection<String>, List<StoredResource>> siblings) {
        JsonNode dependsOn = Json.readStored(task.body()).path("dependsOn");
        TaskDependencies dependencies = TaskDependencies.of(dependsOn);
        if (dependencies.isEmpty()) {
            return Readiness.READY;
        }
        Set<String> ids = parentIds(dependencies);
        if (ids == null) {
            return Readiness.WAITING;
        }
        return dependencies.readiness(parents(siblings.apply(ids)));
    }

    /** The ids of every possible parent, or null when a range is too large to expand. */
    static Set<String> parentIds(TaskDependencies dependencies) {
        Set<String> ids = new LinkedHashSet<>(dependencies.taskIds());
        for (TaskIdRange range : dependencies.taskIdRanges()) {
            if ((long) range.end() - range.start() >= MAX_RANGE) {
                return null;
            }
            for (long id = range.start(); id <= range.end(); id++) {
                ids.add(Long.toString(id));
            }
        }
        return ids;
    }

    /** The stored tasks as parents: a completed one's dependency action is read from its exit options. */
    static List<ParentTask> parents(Collection<StoredResource> tasks) {
        List<ParentTask> parents = new ArrayList<>(tasks.size());
        for (StoredResource task : tasks) {
            parents.add(parent(task));
        }
        return parents;
    }

    static ParentTask parent(StoredResource task) {
        return task.state().equals("completed")
                ? ParentTask.of(task.key().id(), task.state(), Json.readStored(task.body()))
                : ParentTask.notCompleted(task.key().id());
    }
}
