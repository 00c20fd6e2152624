package dev.rebatch.server.faults;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many faults were injected, per fault type and per rule. Survives a rule replacement, so a test can read the
 * totals of a whole run; rule indexes refer to whichever rule set had that index when the fault fired. Plain
 * AtomicLongs: Micrometer is not on the classpath, and the admin endpoint is where these are read.
 */
public final class FaultCounter {

    private final Map<FaultType, AtomicLong> byType = new EnumMap<>(FaultType.class);
    private final Map<Integer, AtomicLong> byRule = new ConcurrentHashMap<>();

    public FaultCounter() {
        for (FaultType type : FaultType.values()) {
            byType.put(type, new AtomicLong());
        }
    }

    void record(FaultType type, int ruleIndex) {
        byType.get(type).incrementAndGet();
        byRule.computeIfAbsent(ruleIndex, index -> new AtomicLong()).incrementAndGet();
    }

    public long count(FaultType type) {
        return byType.get(type).get();
    }

    public long countForRule(int ruleIndex) {
        AtomicLong count = byRule.get(ruleIndex);
        return count == null ? 0 : count.get();
    }

    public long total() {
        return byType.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Counts by fault name ({@code internal-error}, ...), every type present, for JSON. */
    public Map<String, Long> byTypeName() {
        Map<String, Long> counts = new LinkedHashMap<>();
        byType.forEach((type, count) -> counts.put(type.jsonName(), count.get()));
        return counts;
    }

    /** Counts by rule index, for JSON. */
    public Map<String, Long> byRuleIndex() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        byRule.forEach((index, count) -> counts.put(Integer.toString(index), count.get()));
        return counts;
    }
}
