package dev.rebatch.server.dispatch;

import dev.rebatch.model.BatchErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.BatchIds;
import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.execution.TaskCompletion;
import dev.rebatch.server.execution.TaskStart;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.nodes.NodeRegistry;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.DispatchStore;
import dev.rebatch.server.store.LeasedResource;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StaleVersionException;
import dev.rebatch.server.store.StoredResource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's reports on one attempt: that it started, and how it ended. Each names the lease's fencing epoch, and is
 * accepted only while that epoch is the task's current one, the reporting node holds it and the task is still leased:
 * a report from an attempt that was requeued, regranted, terminated or deleted meanwhile is refused with 409 and
 * changes nothing. The check and the write see the same task version (the write is refused if the task changed after
 * the check), so a late report never overwrites newer state.
 */
public final class LeaseReports {

    private static final Logger log = LoggerFactory.getLogger(LeaseReports.class);
    private static final int MAX_ROUNDS = 16;

    private final BatchStore store;
    private final NodeRegistry nodes;
    private final JobQueues queues;
    private final WorkSignals signals;
    private final JobActions jobActions;
    private final Clock clock;

    public LeaseReports(BatchStore store, NodeRegistry nodes, JobQueues queues, WorkSignals signals,
            JobActions jobActions, Clock clock) {
        this.store = store;
        this.nodes = nodes;
        this.queues = queues;
        this.signals = signals;
        this.jobActions = jobActions;
        this.clock = clock;
    }

    /**
     * The attempt has started on the node: the task's startTime (and, for the first start of a retry, lastRetryTime)
     * moves from the grant to now ({@link TaskStart#running}). The lease is not renewed here: the grant set it a
     * moment ago and the node's lease calls renew it, so a start costs one write.
     */
    public void started(StoredResource node, String jobId, String taskId, long epoch) {
        for (int round = 1; ; round++) {
            LeasedResource task = fenced(node, jobId, taskId, epoch);
            try {
                store.update(startedNow(task.resource(), clock.instant()));
                return;
            } catch (StaleVersionException raced) {
                if (round >= MAX_ROUNDS) {
                    throw raced;
                }
                // changed since the check: check again against what it is now
            }
        }
    }

    /**
     * The task with its attempt started {@code now}. The grant recorded the start already (the task runs from its
     * grant); a lastRetryTime the grant set to that same instant is the start of this retry, and moves with it.
     */
    static StoredResource startedNow(StoredResource task, Instant now) {
        ObjectNode document = Json.readStored(task.body());
        JsonNode execution = document.path("executionInfo");
        boolean grantStartedRetry = execution.path("retryCount").asInt(0) > 0
                && execution.path("lastRetryTime").isTextual()
                && execution.path("lastRetryTime").asText().equals(execution.path("startTime").asText(null));
        ObjectNode started = TaskStart.running(document, now);
        if (grantStartedRetry) {
            started.withObjectProperty("executionInfo").put("lastRetryTime", Timestamps.iso(now));
        }
        return StateTransitions.withDocument(task, started, now);
    }

    /** The attempt ended: the task completes (or, by the rules, goes back to the queue). */
    public void completed(StoredResource node, String jobId, String taskId, long epoch, AttemptOutcome outcome) {
        complete(node, jobId, taskId, epoch, outcome);
        slotsFreed(node);
    }

    /**
     * Several attempts of the node ended: each is judged as {@link #completed} judges one, and refused on its own.
     * The decisions are written in one transaction (one commit for the batch); one whose task changed meanwhile is
     * judged again on its own.
     *
     * @return per completion, in order: empty when accepted, otherwise the refusal
     */
    public List<Optional<BatchException>> completedAll(StoredResource node, List<ReportedCompletion> completions) {
        return completedAll(node, completions, true);
    }

    /**
     * {@link #completedAll(StoredResource, List)}, waking the node's waiting lease call only with {@code wakeNode}:
     * not when the same call grants the freed slots itself ({@link LeasePolls#grantOffered}).
     */
    public List<Optional<BatchException>> completedAll(StoredResource node, List<ReportedCompletion> completions,
            boolean wakeNode) {
        List<Optional<BatchException>> results = new ArrayList<>(
                Collections.nCopies(completions.size(), Optional.<BatchException>empty()));
        List<Decided> decided = new ArrayList<>();
        Map<String, ReadJob> jobs = new HashMap<>();
        LeasedTasks tasks = LeasedTasks.of(store, completions.stream()
                .filter(c -> BatchIds.isValid(c.jobId()) && BatchIds.isValid(c.taskId()))
                .map(c -> new ResourceKey(node.key().account(), ResourceKind.TASK, c.jobId(), c.taskId()))
                .toList());
        for (int i = 0; i < completions.size(); i++) {
            ReportedCompletion completion = completions.get(i);
            try {
                LeasedResource task = fenced(node, completion.jobId(), completion.taskId(), completion.epoch(),
                        tasks::get);
                ReadJob job = jobs.computeIfAbsent(task.key().parentKey(), k -> ReadJob.of(findJob(node, task)));
                decided.add(new Decided(i, job.job(), CompletionRules.decide(task.resource(), job.document(),
                        completion.outcome(), clock.instant())));
            } catch (BatchException refused) {
                results.set(i, Optional.of(refused));
            }
        }
        List<Optional<StoredResource>> written = store.updateAll(decided.stream().map(d -> d.decision.task()).toList());
        // Whether a job is now done, and whether tasks wait on the ones that ended, is asked once per job of the
        // batch, after all of them: each asks the store, and a batch holds many tasks of few jobs.
        Map<String, StoredResource> completedIn = new LinkedHashMap<>();
        for (int k = 0; k < decided.size(); k++) {
            Decided d = decided.get(k);
            if (written.get(k).isPresent()) {
                if (afterCompletion(node, d.job, written.get(k).get(), d.decision)) {
                    completedIn.putIfAbsent(d.job.key().idKey(), d.job);
                }
                continue;
            }
            ReportedCompletion completion = completions.get(d.index);
            try {
                complete(node, completion.jobId(), completion.taskId(), completion.epoch(), completion.outcome());
            } catch (BatchException refused) {
                results.set(d.index, Optional.of(refused));
            }
        }
        completedIn.values().forEach(this::tasksCompleted);
        if (wakeNode) {
            slotsFreed(node);
        }
        return results;
    }

    private record Decided(int index, StoredResource job, CompletionDecision decision) {}

    /** A job as a batch of completions reads it: once, with its document parsed once for all its tasks. */
    private record ReadJob(StoredResource job, ObjectNode document) {
        static ReadJob of(StoredResource job) {
            return new ReadJob(job, Json.readStored(job.body()));
        }
    }

    /** One completion of a batch: the attempt and how it ended. */
    public record ReportedCompletion(String jobId, String taskId, long epoch, AttemptOutcome outcome) {}

    /**
     * The node's slots are free: a lease call it has waiting (one that asked for no slot, say) looks again now rather
     * than at the end of its wait, so a full node gets its next tasks at once.
     */
    private void slotsFreed(StoredResource node) {
        signals.nodeChanged(node.key().account(), node.key().parentId(), node.key().id());
    }

    private void complete(StoredResource node, String jobId, String taskId, long epoch, AttemptOutcome outcome) {
        for (int round = 1; ; round++) {
            LeasedResource task = fenced(node, jobId, taskId, epoch);
            StoredResource job = findJob(node, task);
            Instant now = clock.instant();
            CompletionDecision decision = CompletionRules.decide(task.resource(), job, outcome, now);
            StoredResource stored;
            try {
                stored = store.update(decision.task());
            } catch (StaleVersionException raced) {
                if (round >= MAX_ROUNDS) {
                    throw raced;
                }
                continue; // changed since the check: check again against what it is now
            }
            if (afterCompletion(node, job, stored, decision)) {
                tasksCompleted(job);
            }
            return;
        }
    }

    private StoredResource findJob(StoredResource node, LeasedResource task) {
        return store.find(ResourceKey.topLevel(node.key().account(), ResourceKind.JOB, task.key().parentId()))
                .orElseThrow(LeaseReports::jobNotFound);
    }

    /**
     * What follows a written completion of {@code task}, but for what {@link #tasksCompleted} does.
     *
     * @param decision what was written ({@code task} is its task as stored)
     * @return whether {@link #tasksCompleted} is to follow for {@code job} (the task completed and its job goes on)
     */
    private boolean afterCompletion(StoredResource node, StoredResource job, StoredResource task,
            CompletionDecision decision) {
        nodes.recordCompletion(node.key(), TaskInformation.of(task, decision.document()),
                "success".equals(task.executionResult()));
        if (task.state().equals(DispatchStore.WAITING)) {
            queues.tasksWaiting(job, 1); // retried: waiting again (its row still carries its pool's queue facts)
            return false;
        }
        switch (decision.jobAction()) {
            case TERMINATE -> {
                dependentsMayBeReady(job);
                jobActions.terminate(job, TaskCompletion.TASK_FAILED);
                return false;
            }
            case DISABLE -> jobActions.disable(job);
            case NONE -> { }
        }
        return true;
    }

    /** Some tasks of {@code job} completed: tasks waiting on them may be ready, and the job may be done. */
    private void tasksCompleted(StoredResource job) {
        dependentsMayBeReady(job);
        jobActions.taskCompleted(job);
    }

    private void dependentsMayBeReady(StoredResource job) {
        if (Json.readStored(job.body()).path("usesTaskDependencies").asBoolean(false)) {
            // Tasks that waited for the ones that ended may be ready now: let every waiting node of the pool look.
            signals.poolChanged(job.key().account(), JobQueues.poolId(job));
        }
    }

    /**
     * The task, if {@code node} may report on it under {@code epoch}.
     *
     * @throws BatchException JobNotFound, TaskNotFound, LeaseEpochStale or LeaseNotHeld
     */
    private LeasedResource fenced(StoredResource node, String jobId, String taskId, long epoch) {
        return fenced(node, jobId, taskId, epoch, store::findLeased);
    }

    /** {@link #fenced} with the task read by {@code read}. */
    private static LeasedResource fenced(StoredResource node, String jobId, String taskId, long epoch,
            Function<ResourceKey, Optional<LeasedResource>> read) {
        if (!BatchIds.isValid(jobId)) {
            throw jobNotFound();
        }
        if (!BatchIds.isValid(taskId)) {
            throw taskNotFound();
        }
        ResourceKey key = new ResourceKey(node.key().account(), ResourceKind.TASK, jobId, taskId);
        LeasedResource task = read.apply(key).orElseThrow(LeaseReports::taskNotFound);
        if (task.lease().epoch() != epoch) {
            log.warn("Refused a report from node {} on task {}/{}: epoch {} is not the current {}", node.key().id(),
                    jobId, taskId, epoch, task.lease().epoch());
            throw new BatchException(BatchErrorCode.LeaseEpochStale,
                    "The lease epoch is not the task's current one: a newer lease superseded it.",
                    BatchException.detail("ReportedEpoch", Long.toString(epoch)),
                    BatchException.detail("CurrentEpoch", Long.toString(task.lease().epoch())));
        }
        if (!node.key().id().equals(task.lease().nodeId())
                || !DispatchStore.LEASED.contains(task.resource().state())) {
            throw notHeld(node, key, epoch, task.resource().state());
        }
        return task;
    }

    private static BatchException notHeld(StoredResource node, ResourceKey task, long epoch, String state) {
        log.warn("Refused a report from node {} on task {}/{} at epoch {}: the node no longer holds it (task {})",
                node.key().id(), task.parentId(), task.id(), epoch, state);
        return new BatchException(BatchErrorCode.LeaseNotHeld,
                "The node does not hold the task's lease: it was requeued, completed or ended meanwhile.",
                BatchException.detail("TaskState", state));
    }

    private static BatchException jobNotFound() {
        return new BatchException(BatchErrorCode.JobNotFound, "The specified job does not exist.");
    }

    private static BatchException taskNotFound() {
        return new BatchException(BatchErrorCode.TaskNotFound, "The specified task does not exist.");
    }
}
