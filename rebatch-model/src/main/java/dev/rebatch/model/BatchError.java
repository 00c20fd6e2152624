package dev.rebatch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of every Batch error response (spec definitions {@code BatchError}, {@code ErrorMessage},
 * {@code BatchErrorDetail}), with the {@code odata.metadata} line real responses carry.
 *
 * @param odataMetadata the OData metadata URL of the error entity
 * @param code          the Batch error code
 * @param message       the human message; its value ends with the RequestId and Time lines
 * @param values        details naming the offending property, header or parameter (omitted when empty)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BatchError(
        @JsonProperty("odata.metadata") String odataMetadata,
        @JsonProperty("code") String code,
        @JsonProperty("message") ErrorMessage message,
        @JsonProperty("values") List<Detail> values) {

    /** {@code lang} and {@code value}, as in the spec's ErrorMessage. */
    public record ErrorMessage(@JsonProperty("lang") String lang, @JsonProperty("value") String value) {}

    /** One key/value detail (spec BatchErrorDetail). */
    public record Detail(@JsonProperty("key") String key, @JsonProperty("value") String value) {}
}
