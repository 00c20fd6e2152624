package dev.rebatch.server.api.jobs;

import dev.rebatch.server.api.OptimisticUpdates;
import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.dispatch.JobQueues;
import dev.rebatch.server.dispatch.TaskTermination;
import dev.rebatch.server.dispatch.WorkSignals;
import dev.rebatch.server.http.Preconditions;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.ListQuery;
import dev.rebatch.server.store.Page;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.SqlCondition;
import dev.rebatch.server.store.StaleVersionException;
import dev.rebatch.server.store.StoredResource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminating a job ends its tasks, then completes the job. The job is marked "terminating" first and durably, so
 * a termination cut short by a crash is finished when the service starts again (as deletes are). The nodes of the
 * job's pool are woken at the end: those running one of its tasks hear on that lease call that it must stop.
 */
final class JobTermination {

    private static final Logger log = LoggerFactory.getLogger(JobTermination.class);
    private static final SqlCondition NOT_COMPLETED = new SqlCondition("state <> ?", List.of("completed"));
    private static final int PAGE = 1000;

    private final BatchStore store;
    private final Clock clock;
    private final WorkSignals signals;

    JobTermination(BatchStore store, Clock clock, WorkSignals signals) {
        this.store = store;
        this.clock = clock;
        this.signals = signals;
    }

    /** Ends every task not yet completed, then moves the job from terminating to completed. */
    StoredResource finish(StoredResource terminatingJob) {
        String account = terminatingJob.key().account();
        String jobId = terminatingJob.key().id();
        Page page;
        do {
            // Ended tasks leave the filter, so every round starts from the first page.
            page = store.list(new ListQuery(account, ResourceKind.TASK, jobId, NOT_COMPLETED, null, PAGE));
            page.items().forEach(this::endTask);
        } while (page.nextAfterKey() != null);
        StoredResource completed = OptimisticUpdates.apply(store, terminatingJob.key(), () -> new IllegalStateException(
                "job " + jobId + " vanished while terminating"), Preconditions.none(), job -> {
            Instant now = clock.instant();
            return StateTransitions.to(job, JobState.COMPLETED.wire(), now,
                    document -> document.with("executionInfo").put("endTime", Timestamps.iso(now)));
        });
        signals.poolChanged(account, JobQueues.poolId(completed));
        return completed;
    }

    /** Finishes, in the background, every termination that a previous run started but did not end. */
    void resume(Executor background) {
        background.execute(() -> {
            for (StoredResource job : store.findInState(ResourceKind.JOB, JobState.TERMINATING.wire(), 10_000)) {
                try {
                    finish(job);
                } catch (RuntimeException e) {
                    log.warn("Could not finish terminating job {} of account {}; it stays terminating",
                            job.key().id(), job.key().account(), e);
                }
            }
        });
    }

    private void endTask(StoredResource task) {
        while (true) {
            try {
                Instant now = clock.instant();
                store.update(TaskTermination.completed(task, now));
                return;
            } catch (StaleVersionException raced) {
                task = store.find(task.key()).orElse(null);
                if (task == null || task.state().equals("completed")) {
                    return;
                }
            }
        }
    }
}
