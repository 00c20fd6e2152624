package dev.rebatch.server.dispatch;

import dev.rebatch.server.execution.JobAction;
import dev.rebatch.server.store.StoredResource;

/**
 * What a reported outcome does.
 *
 * @param task      the task's next version (completed, or active again for a retry)
 * @param jobAction what happens to the task's job: {@link JobAction#NONE} unless the task completed and its job's
 *                  onTaskFailure is performexitoptionsjobaction
 */
public record CompletionDecision(StoredResource task, JobAction jobAction) {}
