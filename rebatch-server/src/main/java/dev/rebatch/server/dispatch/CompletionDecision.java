package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.execution.JobAction;
import dev.rebatch.server.store.StoredResource;

/**
 * What a reported outcome does.
 *
 * @param task      the task's next version (completed, or active again for a retry)
 * @param jobAction what happens to the task's job: {@link JobAction#NONE} unless the task completed and its job's
 *                  onTaskFailure is performexitoptionsjobaction
 * @param document  the task's next document (the body of {@code task}), for what follows the write without parsing
 *                  it again; not to be changed
 */
public record CompletionDecision(StoredResource task, JobAction jobAction, ObjectNode document) {}
