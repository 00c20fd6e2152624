package dev.rebatch.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.http.RequestContext;
import dev.rebatch.server.store.Page;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code maxresults} and {@code odata.nextLink} paging. The skip token is the last id of the page (opaque to
 * clients), so a page boundary stays correct while items are added or removed around it.
 */
public final class Paging {

    public static final int MAX_RESULTS = 1000;

    private Paging() {}

    public static int maxResults(Context ctx) {
        String value = ctx.queryParam("maxresults");
        if (value == null) {
            return MAX_RESULTS;
        }
        // A non-number is malformed (Invalid...); a number outside 1..1000, however long, is OutOfRange...
        if (!value.matches("-?[0-9]+")) {
            throw BatchException.invalidQueryParameter("maxresults", value, "maxresults must be a whole number.");
        }
        if (!value.matches("[0-9]{1,9}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_RESULTS) {
            throw new BatchException(dev.rebatch.model.BatchErrorCode.OutOfRangeQueryParameterValue,
                    "One of the query parameters specified in the request URI is outside the permissible range.",
                    BatchException.detail("QueryParameterName", "maxresults"),
                    BatchException.detail("QueryParameterValue", value),
                    BatchException.detail("Reason", "maxresults must be between 1 and " + MAX_RESULTS + "."));
        }
        return Integer.parseInt(value);
    }

    /** The lowercased id to continue after, from {@code $skiptoken}; {@code null} for the first page. */
    public static String afterKey(Context ctx) {
        String token = ctx.queryParam("$skiptoken");
        if (token == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw BatchException.invalidQueryParameter("$skiptoken", token, "The skip token is not one this service issued.");
        }
    }

    /** The list body: {@code odata.metadata}, {@code value}, and {@code odata.nextLink} when more remain. */
    public static void write(Context ctx, String metadataFragment, ArrayNode items, Page page) {
        write(ctx, metadataFragment, items, page.nextAfterKey());
    }

    /** As {@link #write(Context, String, ArrayNode, Page)}, continuing after {@code nextAfterKey} (null: last page). */
    public static void write(Context ctx, String metadataFragment, ArrayNode items, String nextAfterKey) {
        RequestContext request = RequestContext.of(ctx);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("odata.metadata", request.baseUrl() + "/$metadata#" + metadataFragment);
        body.set("value", items);
        if (nextAfterKey != null) {
            body.put("odata.nextLink", nextLink(ctx, request, nextAfterKey));
        }
        ctx.status(200).contentType("application/json;odata=minimalmetadata").result(Json.write(body));
    }

    private static String nextLink(Context ctx, RequestContext request, String afterKey) {
        StringBuilder link = new StringBuilder(request.baseUrl()).append(ctx.path()).append('?');
        boolean first = true;
        for (var entry : ctx.queryParamMap().entrySet()) {
            if (entry.getKey().equals("$skiptoken")) {
                continue;
            }
            for (String value : entry.getValue()) {
                link.append(first ? "" : "&").append(encode(entry.getKey())).append('=').append(encode(value));
                first = false;
            }
        }
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(afterKey.getBytes(StandardCharsets.UTF_8));
        return link.append(first ? "" : "&").append("$skiptoken=").append(token).toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
