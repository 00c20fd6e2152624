package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Assertions on raw Batch responses: the error body's wire shape (wire-notes 3.1) and list bodies. */
final class BatchResponses {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern MESSAGE_TAIL = Pattern.compile(
            "(?s).+\\nRequestId:([0-9a-f-]{36})\\nTime:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{7}Z");
    /** What a leaked exception would put in a body: class names, stack frames, exception names. */
    private static final Pattern INTERNALS = Pattern.compile(
            "java\\.|javax\\.|com\\.fasterxml|io\\.javalin|org\\.eclipse|dev\\.rebatch|Exception|Deserialization|JsonNode|ObjectNode|\\bat [a-z]+\\.");

    private BatchResponses() {}

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts a Batch error response and returns its {@code values} as a map.
     *
     * @param values entries {@code values} must hold, key to value
     */
    static Map<String, String> assertError(HttpResponse<String> response, int status, String code,
            Map<String, String> values) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json;odata=minimalmetadata"));
        String requestId = assertRequestId(response);
        assertThat(INTERNALS.matcher(response.body()).find()).as("internals in %s", response.body()).isFalse();

        JsonNode body = json(response);
        assertThat(body.path("odata.metadata").asText())
                .endsWith("/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element");
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").path("lang").asText()).isEqualTo("en-US");
        Matcher tail = MESSAGE_TAIL.matcher(body.path("message").path("value").asText());
        assertThat(tail.matches()).as("message %s", body.path("message")).isTrue();
        assertThat(tail.group(1)).isEqualTo(requestId);

        Map<String, String> actual = new HashMap<>();
        body.path("values").forEach(entry -> actual.put(entry.path("key").asText(), entry.path("value").asText()));
        assertThat(actual).containsAllEntriesOf(values);
        return actual;
    }

    /** Every response, success or error, carries a GUID request-id. */
    static String assertRequestId(HttpResponse<?> response) {
        String requestId = response.headers().firstValue("request-id").orElseThrow();
        assertThat(UUID.fromString(requestId).toString()).isEqualTo(requestId);
        return requestId;
    }

    /** The {@code id}s of a list body's {@code value}. */
    static Set<String> ids(HttpResponse<String> list) {
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        Set<String> ids = new LinkedHashSet<>();
        json(list).path("value").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }
}
