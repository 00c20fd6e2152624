package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.execution.DependencyAction;
import dev.rebatch.server.execution.Readiness;
import dev.rebatch.server.execution.TaskDependencies;
import dev.rebatch.server.execution.TaskStart;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.nodes.ComputeNodes;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.LeaseTransaction;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.QueuePosition;
import dev.rebatch.server.store.QueuedTask;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Grants waiting tasks to a node with free slots, in one lease transaction: the pool's queue is read in order
 * (highest job priority, then oldest task) and each task is granted unless its job is not active, its job already runs
 * maxParallelTasks tasks, it needs more slots than are free, or its dependencies are not satisfied yet
 * ({@link DependencyReadiness}). A granted task is {@code running}, with the node in its nodeInfo, and its lease epoch
 * is one more than before.
 *
 * <p>Concurrent grants (other nodes, other service instances) never hand a task out twice: the queue rows are locked as
 * they are read (PostgreSQL: FOR UPDATE SKIP LOCKED, SQLite: the single writer), and each grant is written only
 * against the version read. A job with maxParallelTasks is locked while its running tasks are counted, so that two
 * grants cannot both take its last place.
 */
public final class Dispatcher {

    /** How many queue entries one call reads at most, so a queue full of blocked tasks costs a bounded scan. */
    static final int MAX_SCANNED = 500;

    private final BatchStore store;
    private final Duration leaseTtl;
    private final Consumer<StoredResource> staleJob;

    /**
     * @param staleJob told of a job whose tasks are queued in a pool the job no longer runs in (or that is not active):
     *                 its queue facts need copying again
     */
    public Dispatcher(BatchStore store, Duration leaseTtl, Consumer<StoredResource> staleJob) {
        this.store = store;
        this.leaseTtl = leaseTtl;
        this.staleJob = staleJob;
    }

    /** Grants up to {@code freeSlots} slots' worth of tasks to {@code node}. */
    public List<Grant> grant(StoredResource node, int freeSlots, Instant now) {
        if (freeSlots <= 0) {
            return List.of();
        }
        Round round = new Round(node, freeSlots, now);
        // The queue read locks the tasks it returns, so none can change before its grant is written (which would fail
        // the whole transaction: LeaseTransaction.grant).
        List<Grant> grants = store.inLeaseTransaction(round::run);
        round.stale.values().forEach(staleJob);
        return grants;
    }

    /** One grant call's work inside its transaction. */
    private final class Round {

        private final StoredResource node;
        private final String account;
        private final String poolId;
        private final int nodeSlots;
        private final Instant now;
        private final Map<String, JobState> jobs = new HashMap<>();
        private final Map<String, StoredResource> stale = new HashMap<>();
        /** Per job: the tasks looked up as dependency parents in this call (empty: no such task). */
        private final Map<String, Map<String, Optional<StoredResource>>> siblings = new HashMap<>();
        private int free;
        /** The node's, read from its document at the first grant. */
        private String affinityId;

        Round(StoredResource node, int freeSlots, Instant now) {
            this.node = node;
            this.account = node.key().account();
            this.poolId = node.key().parentId();
            this.nodeSlots = ComputeNodes.taskSlots(node);
            this.free = freeSlots;
            this.now = now;
        }

        List<Grant> run(LeaseTransaction tx) {
            List<Grant> grants = new ArrayList<>();
            QueuePosition after = null;
            int scanned = 0;
            while (free > 0 && scanned < MAX_SCANNED) {
                // As many as the free slots can take, and a few for tasks that turn out not to fit: every row read
                // is a whole task document, and on PostgreSQL locked until the round commits (other instances skip
                // it). A queue whose head cannot run is read further in the next batch.
                int limit = Math.min(MAX_SCANNED - scanned, free + 8);
                List<QueuedTask> batch = tx.queued(account, node.key().parentKey(), after, limit);
                for (QueuedTask queued : batch) {
                    scanned++;
                    after = queued.position();
                    if (free > 0) {
                        tryGrant(tx, queued.task()).ifPresent(grants::add);
                    }
                }
                if (batch.size() < limit) {
                    break;
                }
            }
            return grants;
        }

        private Optional<Grant> tryGrant(LeaseTransaction tx, LeasedResource queued) {
            StoredResource task = queued.resource();
            JobState job = jobs.computeIfAbsent(task.key().parentKey(), k -> JobState.read(tx, task.key()));
            if (job.job == null) {
                return Optional.empty(); // being deleted with its tasks
            }
            if (!job.runsIn(poolId)) {
                stale.put(task.key().parentKey(), job.job);
                return Optional.empty();
            }
            if (job.full()) {
                return Optional.empty();
            }
            ObjectNode document = Json.readStored(task.body());
            int required = Math.max(1, document.path("requiredSlots").asInt(1));
            if (required > free || required > nodeSlots) {
                return Optional.empty();
            }
            if (document.has("dependsOn") && !dependenciesMet(tx, task)) {
                return Optional.empty();
            }
            ObjectNode runningDocument = runningDocument(task, document);
            LeasedResource granted = tx.grant(queued, StateTransitions.to(task, "running", now, runningDocument,
                    task.exitCode(), task.executionResult()), node.key().id(), leaseTtl, now);
            free -= required;
            job.running++;
            return Optional.of(new Grant(granted, job.job, runningDocument));
        }

        /**
         * Whether the task's dependencies let it run now. A task that can never run as things stand (a parent
         * completed with dependencyAction block) stays active, as in Batch, but is taken out of the queue so that
         * later grants do not read it again; reactivating or deleting that parent, or any change of the job, puts it
         * back ({@link JobQueues#dependenciesChanged}). The blocking parents are read again under a lock before, so
         * that a reactivation racing this grant either comes first (and is seen) or waits for this transaction (and
         * then puts the task back).
         */
        private boolean dependenciesMet(LeaseTransaction tx, StoredResource task) {
            Map<String, Optional<StoredResource>> known = siblings.computeIfAbsent(task.key().parentKey(),
                    k -> new HashMap<>());
            Function<Collection<String>, List<StoredResource>> lookup = ids -> siblings(tx, task, known, ids);
            Readiness readiness = DependencyReadiness.readiness(task, lookup);
            if (readiness != Readiness.BLOCKED) {
                return readiness == Readiness.READY;
            }
            for (String id : DependencyReadiness.parentIds(TaskDependencies.of(
                    Json.readStored(task.body()).path("dependsOn")))) {
                Optional<StoredResource> parent = known.get(ResourceKey.lower(id));
                if (parent.isPresent() && parent.get().state().equals("completed")
                        && DependencyReadiness.parent(parent.get()).action() == DependencyAction.BLOCK) {
                    known.put(ResourceKey.lower(id), tx.lock(parent.get().key()));
                }
            }
            readiness = DependencyReadiness.readiness(task, lookup);
            if (readiness == Readiness.BLOCKED) {
                tx.unqueue(task.key());
            }
            return readiness == Readiness.READY;
        }

        /** The job's tasks with {@code ids}, each read once per call however many dependents name it. */
        private List<StoredResource> siblings(LeaseTransaction tx, StoredResource task,
                Map<String, Optional<StoredResource>> known, Collection<String> ids) {
            List<String> missing = new ArrayList<>();
            for (String id : ids) {
                if (!known.containsKey(ResourceKey.lower(id))) {
                    missing.add(id);
                }
            }
            if (!missing.isEmpty()) {
                missing.forEach(id -> known.put(ResourceKey.lower(id), Optional.empty()));
                for (StoredResource found : tx.findTasks(account, task.key().parentId(), missing)) {
                    known.put(found.key().idKey(), Optional.of(found));
                }
            }
            List<StoredResource> present = new ArrayList<>();
            for (String id : ids) {
                known.get(ResourceKey.lower(id)).ifPresent(present::add);
            }
            return present;
        }

        /**
         * The task's document as its node runs it: running since now, on this node.
         *
         * @param stored the task's stored document, as the caller read it
         */
        private ObjectNode runningDocument(StoredResource task, ObjectNode stored) {
            String root = "workitems/" + task.key().parentId() + "/job-1/" + task.key().id();
            if (affinityId == null) {
                affinityId = Json.readStored(node.body()).path("affinityId").asText("TVM:" + node.key().id());
            }
            // The grant is the attempt's start as far as the service knows: startTime, and lastRetryTime for the
            // first start of a retry (the node's start report moves both to when it really started).
            ObjectNode document = TaskStart.running(stored, now);
            ObjectNode nodeInfo = document.putObject("nodeInfo");
            // Without nodeUrl and taskRootDirectoryUrl: a task view makes them from these and the address its caller
            // used (TaskView), and they were a third of every running or completed task's stored document.
            nodeInfo.put("affinityId", affinityId);
            nodeInfo.put("poolId", poolId);
            nodeInfo.put("nodeId", node.key().id());
            nodeInfo.put("taskRootDirectory", root);
            return document;
        }
    }

    /** A job as one grant call sees it: whether it may run here, and how many of its tasks run. */
    private static final class JobState {

        private final StoredResource job;
        /** The job's pool, read from its document once per call rather than once per task. */
        private final String poolId;
        private final int maxParallel;
        private int running;

        private JobState(StoredResource job, int maxParallel, int running) {
            this.job = job;
            this.poolId = job == null ? null : JobQueues.poolId(job);
            this.maxParallel = maxParallel;
            this.running = running;
        }

        static JobState read(LeaseTransaction tx, ResourceKey task) {
            ResourceKey key = ResourceKey.topLevel(task.account(), ResourceKind.JOB, task.parentId());
            StoredResource job = tx.find(key).orElse(null);
            if (job == null) {
                return new JobState(null, -1, 0);
            }
            int maxParallel = Json.readStored(job.body()).path("maxParallelTasks").asInt(-1);
            if (maxParallel < 1) {
                return new JobState(job, -1, 0);
            }
            // Lock the job while its running tasks are counted: a concurrent grant for it waits, then counts ours.
            job = tx.lock(key).orElse(null);
            if (job == null) {
                return new JobState(null, -1, 0);
            }
            Map<String, Long> byState = tx.countByState(task.account(), ResourceKind.TASK, task.parentId());
            long running = DispatchStore.LEASED.stream().mapToLong(state -> byState.getOrDefault(state, 0L)).sum();
            return new JobState(job, maxParallel, (int) running);
        }

        boolean runsIn(String nodePool) {
            return job.state().equals("active") && poolId != null && poolId.equalsIgnoreCase(nodePool);
        }

        boolean full() {
            return maxParallel > 0 && running >= maxParallel;
        }
    }
}
