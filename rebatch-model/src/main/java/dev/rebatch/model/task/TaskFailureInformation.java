package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.ErrorCategory;
import dev.rebatch.model.common.NameValuePair;
import java.util.List;

/**
 * Mirrors spec definition {@code TaskFailureInformation}: why a task failed.
 */
public record TaskFailureInformation(
        @JsonProperty("category") ErrorCategory category,
        @JsonProperty("code") String code,
        @JsonProperty("message") String message,
        @JsonProperty("details") List<NameValuePair> details) {

    public TaskFailureInformation {
        details = details == null ? null : List.copyOf(details);
    }
}
