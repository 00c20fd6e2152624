package dev.rebatch.server.faults;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.http.BatchException;
import dev.rebatch.server.http.RequestContext;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects the faults of the current {@link FaultRules} into authenticated Batch API requests. The server calls
 * {@link #beforeOperation} after the request pipeline authenticated the request (so faults are per account, and an
 * unauthenticated caller cannot trigger one) and {@link #afterOperation} once the operation ran.
 *
 * <p>Deterministic for a given seed and sequence of matching requests: each rule has its own random, seeded from
 * the seed and the rule's index, and its own count of matching requests, so adding traffic that one rule does not
 * match does not change another rule's pattern.
 */
public final class FaultInjector {

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);
    /** IMF-fixdate (RFC 9110 5.6.7): two-digit day, unlike DateTimeFormatter.RFC_1123_DATE_TIME. */
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final AtomicReference<Plan> plan;
    private final FaultCounter counter = new FaultCounter();
    private final Clock clock;

    public FaultInjector(FaultRules rules, Clock clock) {
        this.plan = new AtomicReference<>(new Plan(rules));
        this.clock = clock;
    }

    /** An injector with no rules: what the server runs with unless faults are asked for. */
    public static FaultInjector off() {
        return new FaultInjector(FaultRules.none(), Clock.systemUTC());
    }

    public FaultRules rules() {
        return plan.get().rules;
    }

    public boolean enabled() {
        return !plan.get().active.isEmpty();
    }

    /** Replaces the rules; firing patterns start over (every-Nth counts and randoms are fresh). */
    public void replace(FaultRules rules) {
        plan.set(new Plan(rules));
    }

    public void clear() {
        replace(FaultRules.none());
    }

    public FaultCounter counter() {
        return counter;
    }

    /**
     * Before the operation: may throw a Batch error, wait, or drop the connection.
     *
     * @param operationId the spec operation of the request, or {@code null} for a path that is none
     */
    public void beforeOperation(Context ctx, String operationId) {
        ActiveRule fired = plan.get().decide(ctx, operationId, FaultType.Stage.BEFORE);
        if (fired == null) {
            return;
        }
        FaultSpec fault = fired.rule.fault();
        record(ctx, operationId, fired);
        switch (fault.type()) {
            case INTERNAL_ERROR -> throw new BatchException(BatchErrorCode.InternalError,
                    "Server encountered an internal error. Please try again after some time.");
            case SERVER_BUSY -> throw new BatchException(BatchErrorCode.ServerBusy,
                    "The server is currently unable to receive requests. Please retry your request.", List.of(),
                    Map.of("Retry-After", retryAfter(fault)));
            case TOO_MANY_REQUESTS -> throw new BatchException(BatchErrorCode.TooManyRequests,
                    "Request failed as server encountered too many requests. Please try again.", List.of(),
                    Map.of("Retry-After", retryAfter(fault)));
            case LATENCY -> sleep(fault.latencyMillis());
            // The fault itself is holding a request thread past the client's timeout; then it goes on as normal,
            // as a slow server would, so a client that gave up may find the work done.
            case HANG -> sleep(fault.hangMillis());
            case RESET_BEFORE -> {
                ConnectionDropper.drop(ctx);
                throw new ConnectionDroppedException();
            }
            case DROP_AFTER_COMMIT -> throw new IllegalStateException("drop-after-commit is decided after the operation");
        }
    }

    /** After the operation: drops the connection of a request that succeeded, before its response is written. */
    public void afterOperation(Context ctx, String operationId) {
        if (ctx.statusCode() >= 400) {
            return; // nothing was committed, so there is no lost response to simulate
        }
        ActiveRule fired = plan.get().decide(ctx, operationId, FaultType.Stage.AFTER);
        if (fired == null) {
            return;
        }
        record(ctx, operationId, fired);
        ConnectionDropper.drop(ctx);
    }

    private void record(Context ctx, String operationId, ActiveRule fired) {
        FaultType type = fired.rule.fault().type();
        counter.record(type, fired.index);
        RequestContext request = RequestContext.find(ctx);
        log.info("Injected {} into {} {} (operation {}, rule {}, request-id {})", type.jsonName(), ctx.method().name(),
                ctx.path(), operationId == null ? "none" : operationId, fired.index,
                request == null ? "none" : request.requestId());
    }

    private String retryAfter(FaultSpec fault) {
        if (fault.retryAfterHttpDate()) {
            return HTTP_DATE.format(clock.instant().plusSeconds(fault.retryAfterSeconds()));
        }
        return Integer.toString(fault.retryAfterSeconds());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One rule set with the state that makes it fire: swapped whole, so a replacement is atomic. */
    private static final class Plan {
        final FaultRules rules;
        final List<ActiveRule> active = new ArrayList<>();

        Plan(FaultRules rules) {
            this.rules = rules;
            for (int i = 0; i < rules.rules().size(); i++) {
                active.add(new ActiveRule(rules.rules().get(i), i, rules.seed()));
            }
        }

        /** The first rule of this stage that matches and fires; every matching rule up to it counts the request. */
        ActiveRule decide(Context ctx, String operationId, FaultType.Stage stage) {
            if (active.isEmpty()) {
                return null;
            }
            RequestContext request = RequestContext.find(ctx);
            String account = request == null ? null : request.account();
            for (ActiveRule rule : active) {
                if (rule.rule.fault().type().stage() == stage
                        && rule.matches(ctx.method().name(), ctx.path(), operationId, account) && rule.fires()) {
                    return rule;
                }
            }
            return null;
        }
    }

    private static final class ActiveRule {
        final FaultRule rule;
        final int index;
        final Pattern path;
        final AtomicLong matched = new AtomicLong();
        final SplittableRandom random;

        ActiveRule(FaultRule rule, int index, long seed) {
            this.rule = rule;
            this.index = index;
            this.path = rule.pathPattern();
            // seed + index: rules with the same probability still fire on different requests.
            this.random = new SplittableRandom(seed + index);
        }

        boolean matches(String method, String requestPath, String operationId, String account) {
            return (rule.method() == null || rule.method().equalsIgnoreCase(method))
                    && (rule.operation() == null || rule.operation().equalsIgnoreCase(Objects.toString(operationId, "")))
                    && (path == null || path.matcher(requestPath).matches())
                    && (rule.account() == null || rule.account().equals(account));
        }

        boolean fires() {
            if (rule.everyNth() != null) {
                return matched.incrementAndGet() % rule.everyNth() == 0;
            }
            synchronized (random) { // SplittableRandom is not thread-safe; the draw order is the repeatable part
                return random.nextDouble() < rule.probability();
            }
        }
    }
}
