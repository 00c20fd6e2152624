package dev.rebatch.cli.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * What a message says a value should have been, for the Java type the mapper wanted: the user writes JSON, so "an
 * integer" or "one of noaction, terminatejob" rather than {@code Integer} or an enum's name.
 */
final class ExpectedValue {

    private ExpectedValue() {}

    static String of(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Duration.class) {
            return "an ISO 8601 duration such as \"PT1H\" or \"PT30S\"";
        }
        if (type == Instant.class) {
            return "an ISO 8601 time such as \"2024-07-01T10:00:00Z\"";
        }
        if (type.isEnum()) {
            // As written in JSON; "unknown" is not one to write: it stands for a value newer than the model.
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> StrictBatchMapper.STRICT.convertValue(constant, String.class))
                    .filter(wire -> !wire.equals("unknown"))
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }
}
