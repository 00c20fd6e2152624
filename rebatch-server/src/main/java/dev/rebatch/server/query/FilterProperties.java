package dev.rebatch.server.query;

import static dev.rebatch.server.query.ComparisonOperator.EQ;
import static dev.rebatch.server.query.ComparisonOperator.NE;

import dev.rebatch.server.store.ResourceKind;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which OData properties each resource kind can be filtered on, and the column behind each. A table, so adding a
 * property is one line here and no change in the compiler. Names are case-sensitive, spelled as the Batch REST
 * documentation spells them.
 */
final class FilterProperties {

    private static final Set<ComparisonOperator> EQUALITY = EnumSet.of(EQ, NE);
    private static final Set<ComparisonOperator> ORDERED = EnumSet.allOf(ComparisonOperator.class);

    private static final FilterProperty ID = new FilterProperty("id_key", ValueType.TEXT, EQUALITY, true, false, true);
    private static final FilterProperty STATE = new FilterProperty("state", ValueType.TEXT, EQUALITY, false, false,
            false);

    private static final Map<String, FilterProperty> COMMON = Map.of(
            "id", ID,
            "state", STATE,
            "creationTime", timestamp("creation_time"),
            "stateTransitionTime", timestamp("state_transition_time"),
            "lastModified", timestamp("last_modified"));

    /** Tasks add what their execution left behind; both are NULL until a task has run. */
    private static final Map<String, FilterProperty> TASK_ONLY = Map.of(
            "executionInfo/exitCode", new FilterProperty("exit_code", ValueType.INTEGER, ORDERED, false, true, false),
            "executionInfo/result", new FilterProperty("execution_result", ValueType.TEXT, EQUALITY, false, true,
                    false));

    private static final Map<ResourceKind, Map<String, FilterProperty>> BY_KIND = Map.of(
            ResourceKind.POOL, COMMON,
            ResourceKind.JOB, COMMON,
            ResourceKind.NODE, COMMON,
            ResourceKind.TASK, union(COMMON, TASK_ONLY));

    private FilterProperties() {}

    /** The filterable properties of a kind, by OData path. */
    static Map<String, FilterProperty> of(ResourceKind kind) {
        return BY_KIND.get(kind);
    }

    private static FilterProperty timestamp(String column) {
        return new FilterProperty(column, ValueType.TIMESTAMP, ORDERED, false, false, false);
    }

    private static Map<String, FilterProperty> union(Map<String, FilterProperty> a, Map<String, FilterProperty> b) {
        Map<String, FilterProperty> all = new HashMap<>(a);
        all.putAll(b);
        return Map.copyOf(all);
    }
}
