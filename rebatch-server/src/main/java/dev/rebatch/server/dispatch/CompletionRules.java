package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.api.StateTransitions;
import dev.rebatch.server.api.Timestamps;
import dev.rebatch.server.dispatch.CompletionDecision.JobAction;
import dev.rebatch.server.store.StoredResource;
import java.time.Instant;

/**
 * The Batch rules for what a finished or lost attempt does to its task: the one place the dispatch code asks.
 *
 * <p><b>Temporary.</b> The full rules (retries up to maxTaskRetryCount, exit conditions, job actions, dependency
 * actions) are being written as pure functions in {@code dev.rebatch.server.execution.TaskCompletion}. When that
 * arrives, {@link #decide} delegates to {@code TaskCompletion.decide(task, job, outcome, now)} and {@link #requeue} to
 * {@code TaskCompletion.requeue(task, now)}, and this class changes alone. Until then it knows the minimum:
 * <ul>
 *   <li>exit code 0 without failure: completed, result {@code success};
 *   <li>anything else: completed, result {@code failure}, with the exit code and failureInfo (no retry yet);
 *   <li>requeue (lost lease, node rebooted or disabled): active again, requeueCount + 1 and lastRequeueTime, the
 *       retry count unchanged.
 * </ul>
 */
public final class CompletionRules {

    private CompletionRules() {}

    /** What the outcome a node reported does to {@code task} (running) and to its {@code job}. */
    public static CompletionDecision decide(StoredResource task, StoredResource job, AttemptOutcome outcome,
            Instant now) {
        String result = outcome.succeeded() ? "success" : "failure";
        StoredResource completed = StateTransitions.to(task, "completed", now, document -> {
            ObjectNode execution = document.withObjectProperty("executionInfo");
            execution.put("endTime", Timestamps.iso(now));
            if (outcome.exitCode() != null) {
                execution.put("exitCode", outcome.exitCode());
            } else {
                execution.remove("exitCode");
            }
            if (outcome.failureInfo() != null) {
                execution.set("failureInfo", outcome.failureInfo());
            } else {
                execution.remove("failureInfo");
            }
            execution.put("result", result);
        });
        return new CompletionDecision(withResult(completed, outcome.exitCode(), result), JobAction.NONE);
    }

    /** {@code task} goes back to the queue because its attempt was lost, not because it failed. */
    public static StoredResource requeue(StoredResource task, Instant now) {
        return StateTransitions.to(task, "active", now, document -> {
            ObjectNode execution = document.withObjectProperty("executionInfo");
            execution.put("requeueCount", execution.path("requeueCount").asInt(0) + 1);
            execution.put("lastRequeueTime", Timestamps.iso(now));
        });
    }

    private static StoredResource withResult(StoredResource task, Integer exitCode, String result) {
        return new StoredResource(task.key(), task.state(), task.body(), task.version(), task.creationTime(),
                task.lastModified(), task.stateTransitionTime(), exitCode, result, task.createRequestId());
    }
}
