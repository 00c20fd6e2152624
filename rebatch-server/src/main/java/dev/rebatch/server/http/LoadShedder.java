package dev.rebatch.server.http;

import dev.rebatch.model.BatchErrorCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Caps the requests in flight in the whole service. Beyond the cap a request is refused at once with 503 ServerBusy
 * and {@code Retry-After: 1} rather than queued: a queued request holds memory and a connection while its client's
 * timeout runs, and every client retries 503 (wire-notes 4), so refusing early sheds load instead of deferring it.
 *
 * <p>A dependency can also report saturation (the store's connection pool, say) through the {@code overloaded}
 * signal; while it says so, new requests are refused the same way.
 */
public final class LoadShedder {

    /**
     * 256: Jetty's default pool has 200 threads, and one request mostly waits on the store, whose pool is far smaller;
     * more concurrent requests than this would only queue inside the service.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    private final int maxInFlight;
    private final BooleanSupplier overloaded;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param maxInFlight at least 1
     * @param overloaded  asked before each admission; {@code true} refuses the request (must be cheap and must not
     *                    throw)
     */
    public LoadShedder(int maxInFlight, BooleanSupplier overloaded) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.overloaded = overloaded;
    }

    public LoadShedder(int maxInFlight) {
        this(maxInFlight, () -> false);
    }

    /**
     * Admits a request; the caller must {@link Permit#release() release} the permit when the request completes.
     *
     * @throws BatchException 503 ServerBusy with Retry-After: 1
     */
    public Permit admit() {
        if (overloaded.getAsBoolean()) {
            throw busy();
        }
        // A CAS loop rather than increment-then-undo: an undo would briefly count a refused request and could
        // refuse another request that fits.
        while (true) {
            int current = inFlight.get();
            if (current >= maxInFlight) {
                throw busy();
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return new Permit();
            }
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    private static BatchException busy() {
        return new BatchException(BatchErrorCode.ServerBusy,
                "The server is currently unable to receive requests. Please retry your request.", List.of(),
                Map.of("Retry-After", "1"));
    }

    /** One admitted request. Releasing twice is harmless: only the first release counts. */
    public final class Permit implements AutoCloseable {

        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {}

        public void release() {
            if (released.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public void close() {
            release();
        }
    }
}
