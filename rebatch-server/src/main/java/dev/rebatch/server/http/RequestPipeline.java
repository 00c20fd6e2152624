package dev.rebatch.server.http;

import dev.rebatch.model.ApiVersion;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.store.RequestDeadline;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What every Batch API request goes through before its operation: a request id, load shedding, the api-version
 * check, the query parameters the request's operation takes and their shape, the standard headers, the body size
 * limit, authentication and the account's rate limit. Each refusal is a typed Batch error and happens before anything is stored.
 * It also starts the request's deadline ({@link OperationTimeout}), which {@link #finish} ends.
 *
 * <p>{@link #handle} is the before-handler and {@link #finish} the after-handler of every Batch API path. Javalin runs
 * after-handlers also when a before-handler, the operation or an exception mapper threw (pinned down by
 * RequestPipelineEndToEndTest), so {@code finish} is where the load shedder's permit is released.
 */
public final class RequestPipeline {

    /** Bodies larger than 1 MB are refused with 413 RequestBodyTooLarge (spec: TaskAddCollectionParameter). */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** How much of a refused body is read so the client sees the 413; beyond this the connection is cut. */
    static final long MAX_DRAINED_BYTES = 8L * 1024 * 1024;

    /**
     * Every query parameter the 2022-10 and 2024-07 specs define, plus the paging token this service puts in
     * {@code odata.nextLink}. Only for paths that are no spec operation: their 404 should not hinge on the query.
     */
    private static final Set<String> KNOWN_QUERY_PARAMETERS = Set.of("api-version", "timeout", "maxresults",
            "$filter", "$select", "$expand", "recursive", "forceafterseconds", "starttime", "endtime", "$skiptoken");
    /** The spec puts these on every operation; accepted even where a path matches no operation. */
    private static final Set<String> UNIVERSAL_QUERY_PARAMETERS = Set.of("api-version", "timeout");
    /** "GUID with no decoration such as curly braces" (spec, client-request-id). */
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final String PERMIT = "rebatch.permit";
    /** Paths of this service's own administration, outside the Batch API. */
    public static final String ADMIN_PREFIX = "/rebatch/admin/";
    /** Paths of the node-agent protocol, outside the Batch API (docs/architecture.md). */
    public static final String NODE_AGENT_PREFIX = "/rebatch/node-agent/";

    private final RequestAuthenticator authenticator;
    private final AccountThrottle throttle;
    private final LoadShedder shedder;
    private final Clock clock;
    private final OperationCatalog catalog;

    public RequestPipeline(RequestAuthenticator authenticator, AccountThrottle throttle, LoadShedder shedder,
            Clock clock, OperationCatalog catalog) {
        this.catalog = catalog;
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.shedder = shedder;
        this.clock = clock;
    }

    /** The before-handler for every Batch API path. */
    public void handle(Context ctx) {
        String clientRequestId = ctx.header("client-request-id");
        RequestContext request = new RequestContext(UUID.randomUUID(), clock.instant(), baseUrl(ctx), null,
                clientRequestId);
        request.attachTo(ctx);
        ctx.header("request-id", request.requestId().toString());
        // First, before any parsing: under overload the cheapest refusal is the most useful one.
        ctx.attribute(PERMIT, shedder.admit());
        if (clientRequestId != null) {
            if (!GUID.matcher(clientRequestId).matches()) {
                throw BatchException.invalidHeader("client-request-id", clientRequestId,
                        "The value must be a GUID without decoration, such as 9C4D50EE-2D56-4CD3-8152-34347DC9F2B0.");
            }
            if ("true".equalsIgnoreCase(ctx.header("return-client-request-id"))) {
                ctx.header("client-request-id", clientRequestId);
            }
        }
        // The service's own admin paths (fault injection, metrics) and the node-agent protocol are no Batch
        // operations: no api-version or Batch query rules apply to them, but they are authenticated like everything
        // else. Admin paths have no account throttle (an operator must be able to look and to switch faults off while
        // the account is throttled); node agents have an allowance of their own, so that a flood of client calls
        // cannot starve their heartbeats, nor a thousand agents the clients.
        boolean admin = ctx.path().startsWith(ADMIN_PREFIX);
        boolean nodeAgent = ctx.path().startsWith(NODE_AGENT_PREFIX);
        if (!admin && !nodeAgent) {
            Optional<OperationCatalog.Operation> operation = catalog.find(ctx.method().name(), ctx.path());
            checkQueryParameters(ctx, operation);
            // From the request's arrival: a slow upload or an injected hang counts against it too.
            RequestDeadline.begin(request.received().plus(OperationTimeout.of(ctx.queryParam("timeout"), operation)),
                    clock);
        }
        byte[] body = readBody(ctx);
        String account = authenticator.authenticate(ctx, body);
        request.withAccount(account).attachTo(ctx);
        if (!admin) {
            // After authentication: buckets are per account, and an unauthenticated caller must not drain anyone's.
            throttle.acquire(account, nodeAgent ? AccountThrottle.TrafficClass.NODE_AGENT
                    : AccountThrottle.TrafficClass.CLIENT);
        }
    }

    /**
     * Ends a request's admission before it ends: a node agent's lease call that waits for work is no load, and must
     * not crowd out the requests that are (the load shedder caps requests in flight). Idempotent, like {@link #finish}.
     */
    public void releaseAdmission(Context ctx) {
        finish(ctx);
    }

    /** The after-handler for every Batch API path: ends the request's admission, once, however it ended. */
    public void finish(Context ctx) {
        RequestDeadline.end(); // the thread goes on to serve other requests
        LoadShedder.Permit permit = ctx.attribute(PERMIT);
        if (permit != null) {
            permit.release();
        }
    }

    private static void checkQueryParameters(Context ctx, Optional<OperationCatalog.Operation> operation) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!accepts(operation, name)) {
                throw new BatchException(BatchErrorCode.UnsupportedQueryParameter,
                        "One of the query parameters specified in the request URI is not supported.",
                        BatchException.detail("QueryParameterName", name));
            }
        }
        checkApiVersion(ctx);
        String timeout = ctx.queryParam("timeout");
        if (timeout != null && !timeout.matches("[0-9]{1,9}")) {
            throw BatchException.invalidQueryParameter("timeout", timeout, "The value must be a whole number of seconds.");
        }
    }

    /**
     * Whether the request's operation takes this query parameter: what its spec operation defines (the Batch service
     * refuses the rest, e.g. {@code $filter} on a get), or, on a path that is no spec operation, any name a spec
     * defines anywhere, so such a request still reaches the 404 fallback.
     */
    private static boolean accepts(Optional<OperationCatalog.Operation> operation, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (UNIVERSAL_QUERY_PARAMETERS.contains(lower)) {
            return true;
        }
        if (operation.isEmpty()) {
            return KNOWN_QUERY_PARAMETERS.contains(lower);
        }
        // $skiptoken is no spec parameter: it is this service's continuation in odata.nextLink, which the SDKs
        // follow verbatim, so every pageable operation (the ones with maxresults) must take it back.
        if (lower.equals("$skiptoken")) {
            return operation.get().takesQueryParameter("maxresults");
        }
        return operation.get().takesQueryParameter(name);
    }

    private static void checkApiVersion(Context ctx) {
        List<String> versions = ctx.queryParamMap().get("api-version");
        if (versions == null || versions.isEmpty() || versions.get(0).isBlank()) {
            throw new BatchException(BatchErrorCode.MissingRequiredQueryParameter,
                    "A query parameter that's mandatory for this request is not specified.",
                    BatchException.detail("QueryParameterName", "api-version"));
        }
        String version = versions.get(0);
        if (!ApiVersion.isSupported(version)) {
            throw new BatchException(BatchErrorCode.UnsupportedRequestVersion,
                    "The specified api-version is not supported. Supported versions: "
                            + String.join(", ", ApiVersion.SUPPORTED) + ".",
                    BatchException.detail("QueryParameterName", "api-version"),
                    BatchException.detail("QueryParameterValue", version));
        }
    }

    private static byte[] readBody(Context ctx) {
        String declared = ctx.header("Content-Length");
        if (declared != null && declared.matches("[0-9]{1,18}") && Long.parseLong(declared) > MAX_BODY_BYTES) {
            drainRefusedBody(ctx);
            throw tooLarge();
        }
        byte[] body;
        try {
            body = ctx.bodyAsBytes();
        } catch (HttpResponseException refused) {
            if (refused.getStatus() != 413) {
                throw refused;
            }
            drainRefusedBody(ctx); // a chunked body that outgrew the limit while being read
            throw tooLarge();
        }
        if (body.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return body;
    }

    /**
     * Reads and discards what the client is still sending before it is refused. Answering in the middle of an
     * upload and closing makes most clients report a broken connection instead of the 413; reading the rest lets
     * them see it. Bounded, so that a much larger upload is cut off rather than read.
     */
    private static void drainRefusedBody(Context ctx) {
        byte[] buffer = new byte[64 * 1024];
        long drained = 0;
        try {
            InputStream in = ctx.req().getInputStream();
            int read;
            while (drained < MAX_DRAINED_BYTES && (read = in.read(buffer)) != -1) {
                drained += read;
            }
        } catch (IOException clientWentAway) {
            // Nothing to drain any more; the refusal is still answered if the connection allows.
        }
    }

    private static BatchException tooLarge() {
        return new BatchException(BatchErrorCode.RequestBodyTooLarge,
                "The request body is too large and exceeds the maximum permissible limit.",
                BatchException.detail("MaxLimit", Integer.toString(MAX_BODY_BYTES)));
    }

    private static String baseUrl(Context ctx) {
        String host = ctx.host();
        return ctx.scheme() + "://" + (host == null ? "localhost" : host);
    }
}
