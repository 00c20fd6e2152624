package dev.rebatch.server.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A set of fault rules and the seed that makes their firing repeatable. Parsed by hand from the JSON tree rather
 * than bound, so that every mistake is reported as {@code rules[2].fault.type: ...} instead of a Jackson trace.
 */
public record FaultRules(long seed, List<FaultRule> rules) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> RULE_FIELDS = Set.of("operation", "path", "method", "account", "probability",
            "everyNth", "fault");
    private static final Set<String> FAULT_FIELDS = Set.of("type", "retryAfterSeconds", "retryAfterHttpDate",
            "latencyMillis", "hangMillis");

    public FaultRules {
        rules = List.copyOf(rules);
    }

    public static FaultRules none() {
        return new FaultRules(0, List.of());
    }

    public static FaultRules load(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new FaultRulesException("Cannot read fault rules from " + file + ": " + e.getMessage(), e);
        }
    }

    public static FaultRules parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FaultRulesException("Fault rules are not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FaultRulesException("Fault rules cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new FaultRulesException("Fault rules must be a JSON object with \"seed\" and \"rules\".");
        }
        long seed = 0;
        JsonNode seedNode = root.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.canConvertToLong() || !seedNode.isIntegralNumber()) {
                throw new FaultRulesException("seed: must be a whole number, was " + seedNode + ".");
            }
            seed = seedNode.asLong();
        }
        JsonNode rulesNode = root.get("rules");
        if (rulesNode == null || !rulesNode.isArray()) {
            throw new FaultRulesException("rules: must be an array of rules.");
        }
        List<FaultRule> rules = new ArrayList<>();
        for (int i = 0; i < rulesNode.size(); i++) {
            rules.add(parseRule(rulesNode.get(i), "rules[" + i + "]"));
        }
        return new FaultRules(seed, rules);
    }

    private static FaultRule parseRule(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new FaultRulesException(where + ": must be an object.");
        }
        rejectUnknown(node, RULE_FIELDS, where);
        String operation = text(node, "operation", where);
        String path = text(node, "path", where);
        String method = text(node, "method", where);
        String account = text(node, "account", where);
        if (operation == null && path == null) {
            throw new FaultRulesException(where + ": needs \"operation\" (e.g. Job_Add) or \"path\" (e.g. /jobs/*).");
        }
        if (path != null && !path.startsWith("/")) {
            throw new FaultRulesException(where + ".path: must start with /, was " + path + ".");
        }
        Double probability = null;
        JsonNode p = node.get("probability");
        if (p != null && !p.isNull()) {
            if (!p.isNumber() || p.asDouble() < 0 || p.asDouble() > 1) {
                throw new FaultRulesException(where + ".probability: must be a number from 0 to 1, was " + p + ".");
            }
            probability = p.asDouble();
        }
        Long everyNth = null;
        JsonNode n = node.get("everyNth");
        if (n != null && !n.isNull()) {
            if (!n.isIntegralNumber() || n.asLong() < 1) {
                throw new FaultRulesException(where + ".everyNth: must be a whole number of at least 1, was " + n + ".");
            }
            everyNth = n.asLong();
        }
        if ((probability == null) == (everyNth == null)) {
            throw new FaultRulesException(where + ": needs exactly one of \"probability\" and \"everyNth\".");
        }
        JsonNode fault = node.get("fault");
        if (fault == null || !fault.isObject()) {
            throw new FaultRulesException(where + ".fault: must be an object with a \"type\".");
        }
        return new FaultRule(operation, path, method == null ? null : method.toUpperCase(Locale.ROOT), account,
                probability, everyNth, parseFault(fault, where + ".fault"));
    }

    private static FaultSpec parseFault(JsonNode node, String where) {
        rejectUnknown(node, FAULT_FIELDS, where);
        String typeName = text(node, "type", where);
        if (typeName == null) {
            throw new FaultRulesException(where + ".type: is required; one of " + typeNames() + ".");
        }
        FaultType type = FaultType.fromJsonName(typeName).orElseThrow(() -> new FaultRulesException(
                where + ".type: unknown fault " + typeName + "; one of " + typeNames() + "."));
        long retryAfter = number(node, "retryAfterSeconds", where, FaultSpec.DEFAULT_RETRY_AFTER_SECONDS, 0);
        if (retryAfter > Integer.MAX_VALUE) {
            throw new FaultRulesException(where + ".retryAfterSeconds: too large.");
        }
        JsonNode dateNode = node.get("retryAfterHttpDate");
        if (dateNode != null && !dateNode.isNull() && !dateNode.isBoolean()) {
            throw new FaultRulesException(where + ".retryAfterHttpDate: must be true or false, was " + dateNode + ".");
        }
        boolean httpDate = dateNode != null && dateNode.asBoolean();
        long latency = number(node, "latencyMillis", where, 0, 0);
        if (type == FaultType.LATENCY && latency == 0) {
            throw new FaultRulesException(where + ".latencyMillis: a latency fault needs a positive latencyMillis.");
        }
        long hang = number(node, "hangMillis", where, FaultSpec.DEFAULT_HANG_MILLIS, 1);
        return new FaultSpec(type, (int) retryAfter, httpDate, latency, hang);
    }

    private static long number(JsonNode node, String field, String where, long fallback, long min) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() < min) {
            throw new FaultRulesException(where + "." + field + ": must be a whole number of at least " + min
                    + ", was " + value + ".");
        }
        return value.asLong();
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new FaultRulesException(where + "." + field + ": must be a non-empty string, was " + value + ".");
        }
        return value.asText();
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String where) {
        // A misspelt field (everynth, probabilty) would otherwise silently change what the rule does.
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new FaultRulesException(where + "." + name + ": unknown field; known are " + known + ".");
            }
        }
    }

    private static String typeNames() {
        List<String> names = new ArrayList<>();
        for (FaultType type : FaultType.values()) {
            names.add(type.jsonName());
        }
        return String.join(", ", names);
    }

    /** The rules in the file format, for the admin endpoint. */
    public ObjectNode toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("seed", seed);
        ArrayNode array = root.putArray("rules");
        for (FaultRule rule : rules) {
            ObjectNode node = array.addObject();
            putIfSet(node, "operation", rule.operation());
            putIfSet(node, "path", rule.path());
            putIfSet(node, "method", rule.method());
            putIfSet(node, "account", rule.account());
            if (rule.probability() != null) {
                node.put("probability", rule.probability());
            }
            if (rule.everyNth() != null) {
                node.put("everyNth", rule.everyNth());
            }
            FaultSpec fault = rule.fault();
            ObjectNode f = node.putObject("fault");
            f.put("type", fault.type().jsonName());
            f.put("retryAfterSeconds", fault.retryAfterSeconds());
            f.put("retryAfterHttpDate", fault.retryAfterHttpDate());
            f.put("latencyMillis", fault.latencyMillis());
            f.put("hangMillis", fault.hangMillis());
        }
        return root;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
