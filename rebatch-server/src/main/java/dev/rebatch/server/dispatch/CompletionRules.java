package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.execution.TaskCompletion;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.StoredResource;
import java.time.Instant;

/**
 * The Batch rules for what a finished or lost attempt does to its task: the one place the dispatch code asks. The
 * rules themselves are the pure functions of {@link TaskCompletion} (retries up to maxTaskRetryCount, exit
 * conditions, job and dependency actions, requeue); this class turns a node's report into their input and their
 * decision into the task's next stored version, exit code and result columns included (the task counts and
 * {@code $filter} read those).
 */
public final class CompletionRules {

    private CompletionRules() {}

    /**
     * What the outcome a node reported does to {@code task} (running) and to its {@code job}. The task's times are
     * the service's: the attempt ends {@code now}; the times the node reports are not taken (its clock may differ).
     */
    public static CompletionDecision decide(StoredResource task, StoredResource job, AttemptOutcome outcome,
            Instant now) {
        return decide(task, Json.readStored(job.body()), outcome, now);
    }

    /**
     * {@link #decide(StoredResource, StoredResource, AttemptOutcome, Instant)} with the job's document parsed by the
     * caller (once for a batch of its tasks; the rules only read it).
     */
    public static CompletionDecision decide(StoredResource task, ObjectNode jobDocument, AttemptOutcome outcome,
            Instant now) {
        TaskCompletion.Decision decision = TaskCompletion.decide(Json.readStored(task.body()), jobDocument,
                rulesOutcome(outcome, now), now);
        return new CompletionDecision(apply(task, decision, now), decision.jobAction(), decision.task());
    }

    /** {@code task} goes back to the queue because its attempt was lost, not because it failed. */
    public static StoredResource requeue(StoredResource task, Instant now) {
        return apply(task, TaskCompletion.requeue(Json.readStored(task.body()), now), now);
    }

    /** The stored task as {@code decision} leaves it, with the exit code and result columns. */
    public static StoredResource apply(StoredResource task, TaskCompletion.Decision decision, Instant now) {
        return StateTransitions.to(task, decision.state(), now, decision.task(), decision.exitCode(),
                decision.result());
    }

    /**
     * The report as the rules read it. No exit code means the program never ran (a pre-processing error: resource
     * files, program not found, launch failure), unless the failure is TaskEnded: the node ended the program (its
     * maxWallClockTime) without learning an exit code.
     */
    static dev.rebatch.server.execution.AttemptOutcome rulesOutcome(AttemptOutcome outcome, Instant now) {
        boolean preProcessing = outcome.exitCode() == null
                && (outcome.failureInfo() == null || !outcome.failureInfo().isTaskEnded());
        return new dev.rebatch.server.execution.AttemptOutcome(outcome.exitCode(), outcome.failureInfo(), null, now,
                preProcessing);
    }
}
