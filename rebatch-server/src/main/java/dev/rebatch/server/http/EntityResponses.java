package dev.rebatch.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.store.StoredResource;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Writes successful Batch responses: status, ETag, Last-Modified, DataServiceId, Location and OData bodies. */
public final class EntityResponses {

    static final String CONTENT_TYPE = "application/json;odata=minimalmetadata";

    private EntityResponses() {}

    /**
     * The ETag of a stored resource: changes on every change. Shaped like Batch's ({@code 0x8D4100FC49F0278}),
     * from the creation time and the version, so two resources created at different times never share one.
     */
    public static String etag(StoredResource resource) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, resource.creationTime());
        return "0x" + Long.toHexString(micros).toUpperCase(java.util.Locale.ROOT)
                + String.format("%04X", resource.version() & 0xFFFF);
    }

    /** RFC 1123, as the Batch clients parse Last-Modified. */
    public static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    /** A resource body: {@code odata.metadata} first, then the representation. */
    public static void entity(Context ctx, int status, StoredResource resource, String metadataFragment,
            ObjectNode representation) {
        validators(ctx, resource);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("odata.metadata", RequestContext.of(ctx).baseUrl() + "/$metadata#" + metadataFragment);
        body.setAll(representation);
        ctx.status(status).contentType(CONTENT_TYPE).result(Json.write(body));
    }

    /** A body-less success (creates, actions, deletes) naming the resource it acted on. */
    public static void acted(Context ctx, int status, StoredResource resource, String resourceUrl) {
        if (resource != null) {
            validators(ctx, resource);
        }
        ctx.header("DataServiceId", resourceUrl);
        ctx.status(status);
        if (status != 204) {
            // Batch answers creates and actions with an empty body; a 201/202 without Content-Length confuses no client.
            ctx.result("");
        }
    }

    private static void validators(Context ctx, StoredResource resource) {
        ctx.header("ETag", etag(resource));
        ctx.header("Last-Modified", httpDate(resource.lastModified()));
    }
}
