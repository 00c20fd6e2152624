package dev.rebatch.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;

/** The service's one JSON mapper, and parsing that turns malformed bodies into Batch errors. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private Json() {}

    /** Parses a request body that must be a JSON object. */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new BatchException(BatchErrorCode.InvalidRequestBody,
                    "The specified Request Body is not syntactically valid.",
                    BatchException.detail("Reason", reason(e)));
        }
        if (node == null || !node.isObject()) {
            throw new BatchException(BatchErrorCode.InvalidRequestBody,
                    "The specified Request Body is not syntactically valid.",
                    BatchException.detail("Reason", "The body must be a JSON object."));
        }
        return (ObjectNode) node;
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    public static ObjectNode readStored(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored resource is not valid JSON", e);
        }
    }

    /**
     * One integer property of a stored object, read without building its tree: the dispatcher asks a task's
     * requiredSlots for every task a node holds at every lease call, and a whole tree per task per call was among the
     * service's largest costs. {@code absent} when the property is missing or not an integer.
     */
    public static int storedInt(String json, String property, int absent) {
        try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("A stored resource is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = property.equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (wanted) {
                    return value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : absent;
                }
                parser.skipChildren();
            }
            return absent;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A stored resource is not valid JSON", e);
        }
    }

    /**
     * Our own words, never Jackson's message: that names Java types and mapper features ("bound as
     * `com.fasterxml.jackson.databind.JsonNode`", "DeserializationFeature.FAIL_ON_TRAILING_TOKENS").
     */
    private static String reason(java.io.IOException e) {
        String where = "";
        if (e instanceof JsonProcessingException processing && processing.getLocation() != null) {
            where = " (line " + processing.getLocation().getLineNr() + ", column "
                    + processing.getLocation().getColumnNr() + ")";
        }
        if (e instanceof com.fasterxml.jackson.core.JsonParseException) {
            return "The body is not valid JSON" + where + ".";
        }
        // Well-formed JSON the mapper still refused: a second value after the first, or a property named twice.
        return "The body must be one JSON object that names each property once" + where + ".";
    }
}
