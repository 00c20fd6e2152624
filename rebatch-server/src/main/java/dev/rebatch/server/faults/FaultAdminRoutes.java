package dev.rebatch.server.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.http.BatchException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code /rebatch/admin/faults}: read, replace and clear the fault rules of a running server, with its counters.
 * Outside the Batch API paths so no Batch client can call it by accident; the request pipeline still requires a
 * Shared Key signature of a configured account (but skips the Batch-only api-version and query checks).
 */
public final class FaultAdminRoutes {

    public static final String PREFIX = dev.rebatch.server.http.RequestPipeline.ADMIN_PREFIX;
    public static final String PATH = PREFIX + "faults";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FaultInjector injector;

    public FaultAdminRoutes(FaultInjector injector) {
        this.injector = injector;
    }

    public static boolean isAdminPath(String path) {
        return path.startsWith(PREFIX);
    }

    /** Register before the catch-all fallback routes, which would otherwise answer 404 here. */
    public void register(RoutesConfig routes) {
        routes.get(PATH, this::show);
        routes.put(PATH, this::replace);
        routes.delete(PATH, ctx -> {
            injector.clear();
            ctx.status(204);
        });
    }

    private void show(Context ctx) throws Exception {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("enabled", injector.enabled());
        body.set("rules", injector.rules().toJson());
        ObjectNode counters = body.putObject("counters");
        FaultCounter counter = injector.counter();
        counters.put("total", counter.total());
        counters.set("byType", MAPPER.valueToTree(counter.byTypeName()));
        counters.set("byRule", MAPPER.valueToTree(counter.byRuleIndex()));
        ctx.contentType("application/json").result(MAPPER.writeValueAsBytes(body));
    }

    private void replace(Context ctx) throws Exception {
        FaultRules rules;
        try {
            rules = FaultRules.parse(ctx.bodyAsBytes());
        } catch (FaultRulesException invalid) {
            throw new BatchException(BatchErrorCode.InvalidRequestBody, invalid.getMessage());
        }
        injector.replace(rules);
        show(ctx);
    }
}
