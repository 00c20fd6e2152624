package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.NameValuePair;
import java.util.List;

/**
 * Mirrors spec definition {@code AutoScaleRunError}.
 */
public record AutoScaleRunError(
        @JsonProperty("code") String code,
        @JsonProperty("message") String message,
        @JsonProperty("values") List<NameValuePair> values) {

    public AutoScaleRunError {
        values = values == null ? null : List.copyOf(values);
    }
}
