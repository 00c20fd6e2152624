package dev.rebatch.client.soak;

import dev.rebatch.server.faults.FaultRules;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One seeded schedule of injected faults over every Batch API request: every kind the service can inject, together
 * firing on about {@code totalRate} of requests. The same seed gives the same faults for the same request sequence,
 * so two clients meet comparable schedules.
 */
public final class FaultSchedule {

    /** Every fault kind, each with its parameters; hangs outlast any sensible attempt timeout. */
    private static final List<String> FAULTS = List.of(
            "{\"type\":\"internal-error\"}",
            "{\"type\":\"server-busy\",\"retryAfterSeconds\":1}",
            "{\"type\":\"too-many-requests\",\"retryAfterSeconds\":1}",
            "{\"type\":\"too-many-requests\",\"retryAfterSeconds\":2,\"retryAfterHttpDate\":true}",
            "{\"type\":\"latency\",\"latencyMillis\":50}",
            "{\"type\":\"reset-before\"}",
            "{\"type\":\"drop-after-commit\"}",
            "{\"type\":\"hang\",\"hangMillis\":2500}");

    private FaultSchedule() {}

    /**
     * Rules that fault about {@code totalRate} of requests. Rules are tried in order and the first that fires wins,
     * so each fires with p where 1 - (1 - p)^n = totalRate.
     */
    public static FaultRules everyKind(double totalRate, long seed) {
        double each = 1 - Math.pow(1 - totalRate, 1.0 / FAULTS.size());
        StringBuilder json = new StringBuilder("{\"seed\":").append(seed).append(",\"rules\":[");
        for (int i = 0; i < FAULTS.size(); i++) {
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"path\":\"/**\",\"probability\":%.6f,\"fault\":%s}", each, FAULTS.get(i)));
        }
        return FaultRules.parse(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }
}
