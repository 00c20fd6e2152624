package dev.rebatch.model.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.NameValuePair;
import java.util.List;

/**
 * Mirrors spec definition {@code ComputeNodeError}.
 */
public record ComputeNodeError(
        @JsonProperty("code") String code,
        @JsonProperty("message") String message,
        @JsonProperty("errorDetails") List<NameValuePair> errorDetails) {

    public ComputeNodeError {
        errorDetails = errorDetails == null ? null : List.copyOf(errorDetails);
    }
}
