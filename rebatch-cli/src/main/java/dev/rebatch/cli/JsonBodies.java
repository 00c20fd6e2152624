package dev.rebatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.common.BatchJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Reads the {@code --json FILE} of a create: the Batch JSON body, as the SDK's request record. */
final class JsonBodies {

    private static final ObjectMapper JSON = BatchJson.mapper();

    private JsonBodies() {}

    /**
     * The body in {@code file} ("-" for standard input) as {@code type}. {@code id} (the ID argument, may be null)
     * fills in a body without an id and must match one that has it. Properties the SDK's record does not carry are
     * named on {@code err}, since they are not sent.
     *
     * @throws IllegalArgumentException with a message for the user when the file is missing, not JSON, not an
     *     object, has no id, or its id differs from {@code id}
     */
    static <T> T read(String file, InputStream stdin, String id, Class<T> type, String noun, PrintWriter err) {
        JsonNode tree;
        try {
            byte[] bytes = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(java.nio.file.Path.of(file));
            tree = JSON.readTree(bytes);
        } catch (NoSuchFileException missing) {
            throw new IllegalArgumentException("--json: no such file: " + file);
        } catch (JsonProcessingException notJson) {
            throw new IllegalArgumentException("--json " + file + " is not valid JSON: "
                    + notJson.getOriginalMessage() + locationOf(notJson));
        } catch (IOException unreadable) {
            throw new IllegalArgumentException("--json: cannot read " + file + ": " + unreadable.getMessage());
        }
        if (!(tree instanceof ObjectNode body)) {
            throw new IllegalArgumentException("--json " + file + " must hold one JSON object, the " + noun + " body");
        }
        JsonNode bodyId = body.get("id");
        if (id != null) {
            if (bodyId != null && !bodyId.isNull() && !Objects.equals(bodyId.asText(), id)) {
                throw new IllegalArgumentException("The ID argument " + id + " differs from the id in " + file + " ("
                        + bodyId.asText() + "); give one of them");
            }
            body.put("id", id);
        } else if (bodyId == null || bodyId.isNull() || bodyId.asText().isBlank()) {
            throw new IllegalArgumentException("The " + noun + " needs an id: give the ID argument or an \"id\" in "
                    + file);
        }
        T value;
        try {
            value = JSON.treeToValue(body, type);
        } catch (JsonProcessingException wrongShape) {
            throw new IllegalArgumentException("--json " + file + " is not a " + noun + " body: "
                    + wrongShape.getOriginalMessage());
        }
        JsonNode sent = JSON.valueToTree(value);
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : body.properties()) {
            if (!property.getValue().isNull() && !sent.has(property.getKey())) {
                dropped.add(property.getKey());
            }
        }
        if (!dropped.isEmpty()) {
            err.println("rebatch: not sending " + String.join(", ", dropped) + " from " + file
                    + ": the SDK's " + noun + " body does not carry " + (dropped.size() == 1 ? "it" : "them") + ".");
        }
        return value;
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }
}
