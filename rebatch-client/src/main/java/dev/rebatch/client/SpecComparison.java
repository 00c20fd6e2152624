package dev.rebatch.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares what a create sent with the resource the service shows, to tell "my earlier attempt created it" from
 * "someone else created one with this id". Only what was sent is compared: the service adds state, timestamps and
 * defaults. Text compares case-insensitively (Batch accepts enum values in any case and answers in lowercase) and
 * ISO-8601 durations by value ({@code PT60M} is {@code PT1H}).
 */
final class SpecComparison {

    private SpecComparison() {}

    /** Each property of {@code sent} that {@code found} lacks or holds differently, as "path: sent x, found y". */
    static List<String> differences(JsonNode sent, JsonNode found) {
        List<String> differences = new ArrayList<>();
        compare("", sent, found, differences);
        return differences;
    }

    private static void compare(String path, JsonNode sent, JsonNode found, List<String> differences) {
        if (sent == null || sent.isNull()) {
            return;
        }
        if (sent.isObject()) {
            if (found == null || !found.isObject()) {
                differences.add(describe(path, sent, found));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = sent.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                compare(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(),
                        found.get(field.getKey()), differences);
            }
        } else if (sent.isArray()) {
            if (found == null || !found.isArray() || found.size() != sent.size()) {
                differences.add(describe(path, sent, found));
                return;
            }
            for (int i = 0; i < sent.size(); i++) {
                compare(path + "[" + i + "]", sent.get(i), found.get(i), differences);
            }
        } else if (!sameValue(sent, found)) {
            differences.add(describe(path, sent, found));
        }
    }

    private static boolean sameValue(JsonNode sent, JsonNode found) {
        if (found == null || found.isNull()) {
            return false;
        }
        if (sent.isNumber() && found.isNumber()) {
            return sent.decimalValue().compareTo(found.decimalValue()) == 0;
        }
        if (sent.isTextual() && found.isTextual()) {
            String a = sent.asText();
            String b = found.asText();
            return a.equalsIgnoreCase(b) || sameDuration(a, b);
        }
        return sent.equals(found);
    }

    private static boolean sameDuration(String a, String b) {
        if (!a.startsWith("P") || !b.startsWith("P")) {
            return false;
        }
        try {
            return Duration.parse(a).equals(Duration.parse(b));
        } catch (DateTimeParseException notDurations) {
            return false;
        }
    }

    private static String describe(String path, JsonNode sent, JsonNode found) {
        return path + ": sent " + sent + ", found " + (found == null || found.isMissingNode() ? "nothing" : found);
    }
}
