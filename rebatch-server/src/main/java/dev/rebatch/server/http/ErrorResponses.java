package dev.rebatch.server.http;

import dev.rebatch.model.BatchError;
import dev.rebatch.model.BatchErrorCode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every refusal as the Batch OData error body, and every unexpected failure as 500 InternalError
 * without a stack trace or any internal detail (those go to the log, under the request id).
 */
public final class ErrorResponses {

    static final String ERROR_CONTENT_TYPE = "application/json;odata=minimalmetadata";
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    /** .NET's round-trip format with seven fractional digits, as real Batch error messages show. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ErrorResponses() {}

    public static void render(Context ctx, BatchException refusal) {
        refusal.headers().forEach(ctx::header);
        write(ctx, refusal.code(), refusal.getMessage(), refusal.details());
    }

    public static void renderUnexpected(Context ctx, Exception failure) {
        RequestContext request = RequestContext.find(ctx);
        log.error("Request {} {} failed (request-id {})", ctx.method(), ctx.path(),
                request == null ? "none" : request.requestId(), failure);
        write(ctx, BatchErrorCode.InternalError, "Server encountered an internal error. Please try again after some time.",
                List.of());
    }

    static void write(Context ctx, BatchErrorCode code, String message, List<BatchError.Detail> details) {
        RequestContext request = RequestContext.find(ctx);
        UUID requestId = request != null ? request.requestId() : UUID.randomUUID();
        Instant time = request != null ? request.received() : Instant.now();
        String baseUrl = request != null ? request.baseUrl() : "";
        BatchError body = new BatchError(
                baseUrl + "/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element",
                code.name(),
                new BatchError.ErrorMessage("en-US",
                        message + "\nRequestId:" + requestId + "\nTime:" + TIME.format(time)),
                details);
        ctx.status(code.httpStatus());
        ctx.header("request-id", requestId.toString());
        ctx.contentType(ERROR_CONTENT_TYPE);
        if (!"HEAD".equals(ctx.method().name())) {
            try {
                ctx.result(Json.MAPPER.writeValueAsBytes(body));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("An error body could not be written", e);
            }
        }
    }
}
