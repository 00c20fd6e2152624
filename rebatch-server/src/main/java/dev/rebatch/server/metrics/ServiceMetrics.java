package dev.rebatch.server.metrics;

import dev.rebatch.server.faults.FaultCounter;
import dev.rebatch.server.faults.FaultType;
import dev.rebatch.server.http.RequestPipeline;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The service's metrics (Micrometer), scraped in the Prometheus text format from
 * {@code GET /rebatch/admin/metrics} with a Shared Key signature, like the other admin paths: nothing gets in
 * without credentials. Counts every Batch API answer by status (429 throttles and 503 sheds included) and every
 * injected fault by type.
 */
public final class ServiceMetrics {

    public static final String PATH = RequestPipeline.ADMIN_PREFIX + "metrics";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public ServiceMetrics(FaultCounter faults) {
        for (FaultType type : FaultType.values()) {
            FunctionCounter.builder("rebatch.faults.injected", faults, counter -> counter.count(type))
                    .description("Faults injected on purpose (docs/fault-injection.md)")
                    .tag("type", type.jsonName())
                    .register(registry);
        }
    }

    /** Counts one answered Batch API request by its status code. */
    public void recordResponse(Context ctx) {
        Counter.builder("rebatch.responses")
                .description("Batch API requests answered, by HTTP status")
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .increment();
    }

    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    }

    /** The registry, for tests and for binding more meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
