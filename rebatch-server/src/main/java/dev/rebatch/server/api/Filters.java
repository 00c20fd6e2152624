package dev.rebatch.server.api;

import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.query.FilterException;
import dev.rebatch.server.query.ODataFilter;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.SqlCondition;
import io.javalin.http.Context;

/** A list request's {@code $filter}, compiled for the store or refused naming the term it cannot take. */
public final class Filters {

    private Filters() {}

    public static SqlCondition fromRequest(Context ctx, ResourceKind kind) {
        String filter = ctx.queryParam("$filter");
        try {
            return ODataFilter.compile(filter, kind);
        } catch (FilterException refused) {
            throw BatchException.invalidQueryParameter("$filter", filter, refused.getMessage());
        }
    }
}
