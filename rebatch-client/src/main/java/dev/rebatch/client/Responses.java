package dev.rebatch.client;

import dev.rebatch.client.http.BatchResponse;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads what the service's success answers carry in their headers. */
final class Responses {

    private Responses() {}

    static Created created(String id, BatchResponse response) {
        return new Created(id, response.header("ETag"), lastModified(response), false);
    }

    static Instant lastModified(BatchResponse response) {
        String value = response.header("Last-Modified");
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException notRfc1123) {
            return null;
        }
    }
}
