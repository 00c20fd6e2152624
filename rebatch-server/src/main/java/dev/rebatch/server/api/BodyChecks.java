package dev.rebatch.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.http.BatchException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Checks shared by every request body validator, each refusing with the Batch error for it. */
public final class BodyChecks {

    private BodyChecks() {}

    /** Refuses any property the spec does not define for this body, naming it (with {@code prefix} for nesting). */
    public static void rejectUnknown(ObjectNode body, Set<String> known, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext();) {
            String name = fields.next().getKey();
            if (!known.contains(name)) {
                throw new BatchException(BatchErrorCode.UnsupportedProperty,
                        "One of the properties specified in the request body is not supported.",
                        BatchException.detail("PropertyName", prefix + name));
            }
        }
    }

    /** A required string property. */
    public static String requireText(ObjectNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw BatchException.missingProperty(name);
        }
        if (!value.isTextual()) {
            throw BatchException.invalidProperty(name, value.toString(), name + " must be a string.");
        }
        return value.asText();
    }

    /** An optional string of at most {@code maxLength} characters. */
    public static void optionalText(ObjectNode body, String name, int maxLength) {
        JsonNode value = body.get(name);
        if (value != null && !value.isNull() && (!value.isTextual() || value.asText().length() > maxLength)) {
            throw BatchException.invalidProperty(name, value.toString(),
                    name + " must be a string of at most " + maxLength + " characters.");
        }
    }
}
