package dev.rebatch.server.dispatch;

import dev.rebatch.server.store.StoredResource;

/**
 * What a reported outcome does.
 *
 * @param task      the task's next version (completed, or active again for a retry)
 * @param jobAction what happens to the task's job
 */
public record CompletionDecision(StoredResource task, JobAction jobAction) {

    /** The spec's ExitOptions.jobAction, as decided for the job of a completed task. */
    public enum JobAction { NONE, DISABLE, TERMINATE }
}
