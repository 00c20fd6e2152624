package dev.rebatch.server.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Why a task attempt failed (spec TaskFailureInformation): a category, a code clients test programmatically, a
 * message for people, and optional name/value details.
 *
 * <p>The codes Rebatch writes itself are the ones Batch writes for the same failures: {@code FailureExitCode} for a
 * non-zero exit (asserted by the azure-sdk-for-java live tests of azure-compute-batch), {@code TaskEnded} for a
 * task the service or the user ended, {@code CommandProgramNotFound} and {@code CommandLaunchFailed} for a command
 * that could not start ("Batch Status and Error Codes", task scheduling errors; wire-notes 3.2).
 */
public record FailureInfo(Category category, String code, String message, List<Detail> details) {

    public static final String FAILURE_EXIT_CODE = "FailureExitCode";
    public static final String TASK_ENDED = "TaskEnded";
    public static final String COMMAND_PROGRAM_NOT_FOUND = "CommandProgramNotFound";
    public static final String COMMAND_LAUNCH_FAILED = "CommandLaunchFailed";
    /** Batch's output-file upload failures share this prefix (FileUploadMiscError, FileUploadAccessDenied...). */
    private static final String FILE_UPLOAD_PREFIX = "FileUpload";

    public FailureInfo {
        Objects.requireNonNull(category, "category");
        details = List.copyOf(details);
    }

    public FailureInfo(Category category, String code, String message) {
        this(category, code, message, List.of());
    }

    /** A non-zero exit of the task's own program. */
    public static FailureInfo failureExitCode() {
        return new FailureInfo(Category.USER_ERROR, FAILURE_EXIT_CODE,
                "The task process exited with an unexpected exit code");
    }

    /** Ended by a terminate request (Task_Terminate, or Job_Terminate ending the job's tasks). */
    public static FailureInfo endedByUser() {
        return new FailureInfo(Category.USER_ERROR, TASK_ENDED, "Task Was Ended by User Request");
    }

    /**
     * Ended by the service because it ran longer than constraints.maxWallClockTime. Batch reports this as
     * TaskEnded too; the detail says why (inference from client code that reads these failures).
     */
    public static FailureInfo maxWallClockTimeExceeded() {
        return new FailureInfo(Category.USER_ERROR, TASK_ENDED, "Task Was Ended by User Request",
                List.of(new Detail("Message", "The maximum execution time configured on the task was exceeded")));
    }

    public static FailureInfo commandProgramNotFound(String detail) {
        return new FailureInfo(Category.USER_ERROR, COMMAND_PROGRAM_NOT_FOUND,
                "The specified command program is not found.", List.of(new Detail("Message", detail)));
    }

    public static FailureInfo commandLaunchFailed(String detail) {
        return new FailureInfo(Category.USER_ERROR, COMMAND_LAUNCH_FAILED,
                "Failed to launch the specified command line.", List.of(new Detail("Message", detail)));
    }

    /** Whether an output file upload failed: the attempt's exit options come from exitConditions.fileUploadError. */
    public boolean isFileUploadError() {
        return code != null && code.startsWith(FILE_UPLOAD_PREFIX);
    }

    /** Whether the user or the service ended the task (terminate, maxWallClockTime). */
    public boolean isTaskEnded() {
        return TASK_ENDED.equals(code);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("category", category.wire());
        if (code != null) {
            json.put("code", code);
        }
        if (message != null) {
            json.put("message", message);
        }
        if (!details.isEmpty()) {
            ArrayNode array = json.putArray("details");
            details.forEach(detail -> array.addObject().put("name", detail.name()).put("value", detail.value()));
        }
        return json;
    }

    /** The failure stored in a task document, or null when there is none. */
    public static FailureInfo fromJson(JsonNode json) {
        if (json == null || !json.isObject() || !json.path("category").isTextual()) {
            return null;
        }
        List<Detail> details = new ArrayList<>();
        json.path("details").forEach(detail ->
                details.add(new Detail(detail.path("name").asText(null), detail.path("value").asText(null))));
        return new FailureInfo(Category.fromWire(json.get("category").asText()), json.path("code").asText(null),
                json.path("message").asText(null), details);
    }

    /** Spec ErrorCategory. */
    public enum Category {
        USER_ERROR("usererror"),
        SERVER_ERROR("servererror");

        private final String wire;

        Category(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Category fromWire(String category) {
            return switch (category.toLowerCase(Locale.ROOT)) {
                case "usererror" -> USER_ERROR;
                case "servererror" -> SERVER_ERROR;
                default -> throw new IllegalArgumentException("not an error category: " + category);
            };
        }
    }

    /** Spec NameValuePair. */
    public record Detail(String name, String value) {}
}
