package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.NameValuePair;
import java.util.List;

/**
 * Mirrors spec definition {@code ResizeError}.
 */
public record ResizeError(
        @JsonProperty("code") String code,
        @JsonProperty("message") String message,
        @JsonProperty("values") List<NameValuePair> values) {

    public ResizeError {
        values = values == null ? null : List.copyOf(values);
    }
}
