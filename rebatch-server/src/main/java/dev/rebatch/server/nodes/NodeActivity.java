package dev.rebatch.server.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.store.ResourceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What nodes did since their rows were last written: the tasks granted and finished ({@code totalTasksRun},
 * {@code totalTasksSucceeded}, {@code recentTasks}) and how many tasks and slots each runs now.
 *
 * <p>These change at every grant and every completion. Written there, every report on a node was a read-modify-write
 * of that node's row: with many slots the reports raced on it, retried, and kept the embedded store's single writer
 * busy most of the time (docs/benchmarks.md, "Where the time goes"). Here they are gathered per node and written at
 * most once per interval, in one update. A node's state (idle, running, ...) is not kept here:
 * it is written when it changes, together with what was gathered for the node ({@link #take}).
 *
 * <p>They are a view of the node for the node API, derived from the tasks, which are stored at once: a crash of the
 * service loses at most one interval of them, never anything of a task. Each service instance gathers what it
 * served and adds it to the row, so several instances on one database add up.
 */
final class NodeActivity implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeActivity.class);

    /** What one node did since its row was last written. Mutated only inside the map's compute for its key. */
    static final class Gathered {
        int tasksRun;
        int tasksSucceeded;
        /** recentTasks entries, oldest first. */
        final List<ObjectNode> recentTasks = new ArrayList<>();
        Integer runningTasks;
        Integer runningSlots;

        /** Adds this to the node's document. */
        void applyTo(ObjectNode document) {
            if (tasksRun > 0) {
                document.put("totalTasksRun", document.path("totalTasksRun").asInt(0) + tasksRun);
            }
            if (tasksSucceeded > 0) {
                document.put("totalTasksSucceeded", document.path("totalTasksSucceeded").asInt(0) + tasksSucceeded);
            }
            recentTasks.forEach(entry -> ComputeNodes.recordRecentTask(document, entry));
            if (runningTasks != null) {
                document.put("runningTasksCount", runningTasks);
                document.put("runningTaskSlotsCount", runningSlots);
            }
        }

        /** Whether writing this would change the document. */
        boolean changes(ObjectNode document) {
            return tasksRun > 0 || tasksSucceeded > 0 || !recentTasks.isEmpty()
                    || runningTasks != null && (document.path("runningTasksCount").asInt() != runningTasks
                            || document.path("runningTaskSlotsCount").asInt() != runningSlots);
        }
    }

    private final Map<ResourceKey, Gathered> gathered = new ConcurrentHashMap<>();
    private final BiConsumer<ResourceKey, Gathered> write;
    private final ScheduledExecutorService flusher;

    /**
     * Writes every node's gathered activity every {@code interval}, on a thread of its own, through {@code write}
     * (which gets the node and what to add to it).
     */
    NodeActivity(Duration interval, BiConsumer<ResourceKey, Gathered> write) {
        this.write = write;
        this.flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("rebatch-node-activity")
                .daemon().factory());
        flusher.scheduleWithFixedDelay(this::flushAll, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void granted(ResourceKey node, List<ObjectNode> taskInformation) {
        if (!taskInformation.isEmpty()) {
            gather(node, g -> {
                g.tasksRun += taskInformation.size();
                g.recentTasks.addAll(taskInformation);
            });
        }
    }

    void completed(ResourceKey node, ObjectNode taskInformation, boolean succeeded) {
        gather(node, g -> {
            if (succeeded) {
                g.tasksSucceeded++;
            }
            g.recentTasks.add(taskInformation);
        });
    }

    void running(ResourceKey node, int tasks, int slots) {
        gather(node, g -> {
            g.runningTasks = tasks;
            g.runningSlots = slots;
        });
    }

    /** What was gathered for {@code node}, which the caller now writes; {@code null} if nothing. */
    Gathered take(ResourceKey node) {
        return gathered.remove(node);
    }

    private void flushAll() {
        for (ResourceKey node : List.copyOf(gathered.keySet())) {
            Gathered taken = take(node);
            if (taken == null) {
                continue;
            }
            try {
                write.accept(node, taken);
            } catch (RuntimeException e) {
                // The node left or its pool went (nothing to keep), or the store failed (the counts of one interval
                // are lost; they are a view, and the tasks themselves were stored).
                log.debug("Could not write the activity of node {}: {}", node.id(), e.toString());
            }
        }
    }

    /** Writes what is left, then stops. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushAll();
    }

    private void gather(ResourceKey node, Consumer<Gathered> change) {
        gathered.compute(node, (key, g) -> {
            Gathered into = g == null ? new Gathered() : g;
            change.accept(into);
            return into;
        });
    }
}
