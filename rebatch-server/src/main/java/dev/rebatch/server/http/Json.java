package dev.rebatch.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
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
                    BatchException.detail("Reason", firstLine(e.getMessage())));
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

    private static String firstLine(String message) {
        if (message == null) {
            return "Malformed JSON.";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
