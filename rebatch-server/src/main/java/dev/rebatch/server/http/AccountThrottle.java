package dev.rebatch.server.http;

import dev.rebatch.model.BatchErrorCode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Per-account request rate limits: one token bucket per account and traffic class. A request that finds its bucket
 * empty is refused with 429 TooManyRequests and a {@code Retry-After} in whole seconds, which the .NET and JS clients
 * honour (wire-notes 3.3, 4.4).
 *
 * <p>Each bucket is a GCRA ("virtual scheduling") limiter: one {@code long}, the theoretical arrival time of the next
 * request, advanced by compare-and-set. That is exactly a token bucket of capacity {@code burst} refilled at
 * {@code perSecond}, with no lock, no floating point and no refill timer. Accounts only enter the map after
 * authentication, so its size is bounded by the real accounts.
 */
public final class AccountThrottle {

    /** Who is calling: node agents get their own buckets so a flood of client calls cannot starve heartbeats. */
    public enum TrafficClass { CLIENT, NODE_AGENT }

    /**
     * A bucket's refill rate and capacity.
     *
     * @param perSecond permits added per second, at least 0.001 (one per 1000 s)
     * @param burst     the bucket's capacity: how many requests an idle account may send at once, 1 to 1,000,000
     */
    public record Rate(double perSecond, int burst) {

        public Rate {
            if (!(perSecond >= 0.001) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("perSecond must be finite and at least 0.001: " + perSecond);
            }
            if (burst < 1 || burst > 1_000_000) {
                throw new IllegalArgumentException("burst must be from 1 to 1000000: " + burst);
            }
        }

        /** Rounded up, so the effective rate never exceeds {@code perSecond}. */
        long nanosPerPermit() {
            return Math.max(1, (long) Math.ceil(1e9 / perSecond));
        }
    }

    /**
     * 500 requests/s, bursts of 1000, per account. Generous on purpose: the Java 11.2 SDK does not retry 429 at all
     * (wire-notes 4.2), so the default should only stop runaway clients, not an SDK adding tasks in parallel chunks
     * of 100 while polling. A burst of two seconds' worth absorbs a client starting up with many parallel calls.
     */
    public static final Rate DEFAULT_CLIENT_RATE = new Rate(500, 1000);
    /**
     * 1000 requests/s, bursts of 2000, per account: room for a thousand node agents each calling once a second, the
     * scale one Rebatch instance aims at, and for all of them reconnecting at once after a restart.
     */
    public static final Rate DEFAULT_NODE_AGENT_RATE = new Rate(1000, 2000);

    private final Map<TrafficClass, Rate> rates = new EnumMap<>(TrafficClass.class);
    private final Map<TrafficClass, ConcurrentHashMap<String, Bucket>> buckets = new EnumMap<>(TrafficClass.class);
    private final LongSupplier nanoTime;

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}; a counter in tests) */
    public AccountThrottle(Rate client, Rate nodeAgent, LongSupplier nanoTime) {
        rates.put(TrafficClass.CLIENT, client);
        rates.put(TrafficClass.NODE_AGENT, nodeAgent);
        for (TrafficClass trafficClass : TrafficClass.values()) {
            buckets.put(trafficClass, new ConcurrentHashMap<>());
        }
        this.nanoTime = nanoTime;
    }

    public AccountThrottle(Rate client, Rate nodeAgent) {
        this(client, nodeAgent, System::nanoTime);
    }

    /**
     * Takes a permit if there is one.
     *
     * @return {@link Duration#ZERO} when granted; otherwise how long until a permit will be available
     */
    public Duration tryAcquire(String account, TrafficClass trafficClass) {
        // Account names are case-insensitive in Batch: two spellings of one account must share a bucket.
        String key = account.toLowerCase(Locale.ROOT);
        ConcurrentHashMap<String, Bucket> classBuckets = buckets.get(trafficClass);
        Bucket bucket = classBuckets.get(key); // the hot path: a plain read, no lock
        long now = nanoTime.getAsLong();
        if (bucket == null) {
            Rate rate = rates.get(trafficClass);
            bucket = classBuckets.computeIfAbsent(key, k -> new Bucket(rate, now));
        }
        long waitNanos = bucket.tryAcquire(now);
        return waitNanos == 0 ? Duration.ZERO : Duration.ofNanos(waitNanos);
    }

    /** Takes a client permit or refuses the request. */
    public void acquire(String account) {
        acquire(account, TrafficClass.CLIENT);
    }

    /**
     * Takes a permit or refuses the request.
     *
     * @throws BatchException 429 TooManyRequests with Retry-After
     */
    public void acquire(String account, TrafficClass trafficClass) {
        Duration wait = tryAcquire(account, trafficClass);
        if (!wait.isZero()) {
            throw new BatchException(BatchErrorCode.TooManyRequests,
                    "Request failed as server encountered too many requests. Please try again.",
                    java.util.List.of(), Map.of("Retry-After", Long.toString(retryAfterSeconds(wait))));
        }
    }

    /**
     * Whole seconds, rounded up so a client that waits exactly this long finds a permit; at least 1, because 0 would
     * invite an immediate retry that the bucket refuses again.
     */
    static long retryAfterSeconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** One account's bucket, as the theoretical arrival time of the next request (GCRA). */
    private static final class Bucket {

        private final long interval;
        /** How far ahead of now the theoretical arrival time may run: the whole burst. */
        private final long tolerance;
        private final AtomicLong theoreticalArrival;

        Bucket(Rate rate, long now) {
            this.interval = rate.nanosPerPermit();
            this.tolerance = interval * rate.burst(); // at most 1e12 * 1e6, well inside a long
            this.theoreticalArrival = new AtomicLong(now); // a full bucket
        }

        /** 0 when a permit was taken; otherwise the nanoseconds until one is available. */
        long tryAcquire(long now) {
            while (true) {
                long arrival = theoreticalArrival.get();
                long next = Math.max(arrival, now) + interval;
                long wait = next - now - tolerance;
                if (wait > 0) {
                    return wait;
                }
                if (theoreticalArrival.compareAndSet(arrival, next)) {
                    return 0;
                }
            }
        }
    }
}
