package dev.rebatch.retry.throttle;

import dev.rebatch.retry.time.TimeSource;

/**
 * Client-side send-rate limiting that adapts to throttling, after the AWS SDK's adaptive retry mode
 * ("adapted from CUBIC"). It does nothing until the first throttling response. Then each throttle cuts the
 * allowed rate to {@code BETA} (0.7) times the rate the client was actually sending, and each success grows it
 * back along the cubic curve {@code SCALE * (t - W)^3 + lastMax}, never above twice the measured send rate.
 * Many clients sharing one rate-limited service therefore settle near its limit instead of hammering it.
 *
 * <p>Every attempt, first ones included, asks {@link #reserve()} how long to wait before sending; every
 * response is reported to {@link #onResponse(boolean)}. Thread-safe; one instance serves one client.
 */
public final class AdaptiveRateLimiter {

    static final double MIN_FILL_RATE = 0.5;
    static final double MIN_CAPACITY = 1.0;
    static final double SMOOTH = 0.8;
    static final double BETA = 0.7;
    static final double SCALE_CONSTANT = 0.4;

    private final TimeSource time;

    private double fillRate;
    private double maxCapacity;
    private double currentCapacity;
    private double lastRefillSeconds = Double.NaN;
    private boolean enabled;

    private double measuredRate;
    private double lastRateBucket;
    private long requestsInBucket;
    private double lastMaxRate;
    private double lastThrottleSeconds;
    private double timeWindow;

    public AdaptiveRateLimiter(TimeSource time) {
        this.time = time;
        double now = seconds();
        this.lastRateBucket = Math.floor(now * 2) / 2;
        this.lastThrottleSeconds = now;
    }

    /**
     * Takes one send token and returns how long the caller must wait before sending, in nanoseconds (0 when it
     * may send at once). The token is taken now, so concurrent callers queue up behind each other.
     */
    public synchronized long reserve() {
        if (!enabled) {
            return 0;
        }
        refill();
        currentCapacity -= 1.0;
        if (currentCapacity >= 0) {
            return 0;
        }
        return (long) (-currentCapacity / fillRate * 1e9);
    }

    /** Reports a response: {@code throttled} for 429/503 ServerBusy, false for anything else the service answered. */
    public synchronized void onResponse(boolean throttled) {
        updateMeasuredRate();
        double calculatedRate;
        if (throttled) {
            double rateToUse = enabled ? Math.min(measuredRate, fillRate) : measuredRate;
            lastMaxRate = rateToUse;
            updateTimeWindow();
            lastThrottleSeconds = seconds();
            calculatedRate = rateToUse * BETA;
            enabled = true;
        } else {
            updateTimeWindow();
            double sinceThrottle = seconds() - lastThrottleSeconds;
            calculatedRate = SCALE_CONSTANT * Math.pow(sinceThrottle - timeWindow, 3) + lastMaxRate;
        }
        updateRate(Math.min(calculatedRate, 2 * measuredRate));
    }

    /** True once a throttling response has switched pacing on. */
    public synchronized boolean isPacing() {
        return enabled;
    }

    /** The allowed send rate in requests per second (meaningful once pacing). */
    public synchronized double sendRate() {
        return fillRate;
    }

    /** The client's measured send rate in requests per second (an exponentially smoothed average). */
    public synchronized double measuredRate() {
        return measuredRate;
    }

    private void refill() {
        double now = seconds();
        if (Double.isNaN(lastRefillSeconds)) {
            lastRefillSeconds = now;
            return;
        }
        currentCapacity = Math.min(maxCapacity, currentCapacity + (now - lastRefillSeconds) * fillRate);
        lastRefillSeconds = now;
    }

    private void updateRate(double newRate) {
        refill();
        fillRate = Math.max(newRate, MIN_FILL_RATE);
        maxCapacity = Math.max(newRate, MIN_CAPACITY);
        currentCapacity = Math.min(currentCapacity, maxCapacity);
    }

    private void updateMeasuredRate() {
        double bucket = Math.floor(seconds() * 2) / 2;
        requestsInBucket++;
        if (bucket > lastRateBucket) {
            double currentRate = requestsInBucket / (bucket - lastRateBucket);
            measuredRate = currentRate * SMOOTH + measuredRate * (1 - SMOOTH);
            requestsInBucket = 0;
            lastRateBucket = bucket;
        }
    }

    private void updateTimeWindow() {
        timeWindow = Math.cbrt(lastMaxRate * (1 - BETA) / SCALE_CONSTANT);
    }

    private double seconds() {
        return time.nanoTime() / 1e9;
    }
}
