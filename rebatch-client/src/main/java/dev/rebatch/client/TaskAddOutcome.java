package dev.rebatch.client;

/**
 * What happened to one task of {@link TaskOperations#addTasks}.
 *
 * @param taskId          the task
 * @param added           true when the task is in the job as sent
 * @param confirmedByRead true when the service said TaskExists after an attempt whose outcome was unknown, and the
 *                        SDK read the task and found what was sent
 * @param errorCode       why it was not added (a Batch error code such as "TaskExists", "InvalidPropertyValue",
 *                        "RequestBodyTooLarge", or the last server error), or {@code null}
 * @param message         the service's message, or {@code null}
 */
public record TaskAddOutcome(String taskId, boolean added, boolean confirmedByRead, String errorCode,
        String message) {

    static TaskAddOutcome added(String taskId, boolean confirmedByRead) {
        return new TaskAddOutcome(taskId, true, confirmedByRead, null, null);
    }

    static TaskAddOutcome failed(String taskId, String errorCode, String message) {
        return new TaskAddOutcome(taskId, false, false, errorCode, message);
    }
}
