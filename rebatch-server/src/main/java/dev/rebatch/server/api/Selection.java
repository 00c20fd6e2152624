package dev.rebatch.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.BatchException;
import io.javalin.http.Context;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A get or list request's {@code $select}: the comma-separated top-level properties to return (OData; spec
 * {@code $select} on Job_Get, Job_List, Task_Get, Task_List and the other gets and lists). Without it every property
 * is returned. {@code odata.metadata} is not a property of the entity and is always kept: the responses add it
 * outside the representation this trims.
 */
public final class Selection {

    private static final Selection ALL = new Selection(null);

    /** The selected names, or {@code null} for all. */
    private final Set<String> names;

    private Selection(Set<String> names) {
        this.names = names;
    }

    /**
     * Parsed before the resource is read, so a bad {@code $select} is 400 whether or not the resource exists.
     *
     * @param known the entity's top-level property names in the spec (CloudJob, CloudTask, ...)
     * @throws BatchException 400 InvalidQueryParameterValue naming {@code $select} for a name that is not one of them
     */
    public static Selection fromRequest(Context ctx, Set<String> known) {
        String select = ctx.queryParam("$select");
        if (select == null) {
            return ALL;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String item : select.split(",", -1)) {
            String name = item.trim();
            if (!known.contains(name)) {
                throw BatchException.invalidQueryParameter("$select", select, name.isEmpty()
                        ? "$select must be a comma-separated list of property names."
                        : "'" + name + "' is not a property of this resource.");
            }
            names.add(name);
        }
        return new Selection(names);
    }

    /** Trims {@code representation} to the selected properties, in place, and returns it. */
    public ObjectNode apply(ObjectNode representation) {
        if (names != null) {
            representation.retain(names);
        }
        return representation;
    }
}
