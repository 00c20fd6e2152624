package dev.rebatch.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.ErrorCategory;
import dev.rebatch.model.common.NameValuePair;
import java.util.List;

/**
 * Mirrors spec definition {@code JobSchedulingError}.
 */
public record JobSchedulingError(
        @JsonProperty("category") ErrorCategory category,
        @JsonProperty("code") String code,
        @JsonProperty("message") String message,
        @JsonProperty("details") List<NameValuePair> details) {

    public JobSchedulingError {
        details = details == null ? null : List.copyOf(details);
    }
}
