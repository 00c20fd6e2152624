package dev.rebatch.retry.throttle;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token bucket shared by every operation of one client, so that a client whose calls are failing stops
 * multiplying its load with retries (AWS SDK "retry quota", gRPC retry throttling). First attempts never take
 * tokens. Each retry takes {@code retryCost} tokens ({@code timeoutCost} after a timeout, which ties up the
 * service longest); a first-attempt success puts back {@code successRefund}, and a success after retries puts
 * back what its last retry took, so one transient blip costs nothing in the end. When a retry cannot take its
 * cost the operation stops with {@code RETRY_BUDGET_EXHAUSTED}.
 */
public final class RetryBudget {

    public static final int DEFAULT_CAPACITY = 500;
    public static final int DEFAULT_RETRY_COST = 5;
    public static final int DEFAULT_TIMEOUT_COST = 10;
    public static final int DEFAULT_SUCCESS_REFUND = 1;

    private static final RetryBudget UNLIMITED = new RetryBudget(Integer.MAX_VALUE, 0, 0, 0);

    private final int capacity;
    private final int retryCost;
    private final int timeoutCost;
    private final int successRefund;
    private final AtomicInteger tokens;

    public RetryBudget(int capacity, int retryCost, int timeoutCost, int successRefund) {
        if (capacity <= 0 || retryCost < 0 || timeoutCost < 0 || successRefund < 0) {
            throw new IllegalArgumentException("capacity must be positive and costs must not be negative: capacity="
                    + capacity + ", retryCost=" + retryCost + ", timeoutCost=" + timeoutCost
                    + ", successRefund=" + successRefund);
        }
        this.capacity = capacity;
        this.retryCost = retryCost;
        this.timeoutCost = timeoutCost;
        this.successRefund = successRefund;
        this.tokens = new AtomicInteger(capacity);
    }

    /** Capacity 500, retry cost 5, timeout cost 10, success refund 1 (the AWS SDK's standard quota). */
    public static RetryBudget standard() {
        return new RetryBudget(DEFAULT_CAPACITY, DEFAULT_RETRY_COST, DEFAULT_TIMEOUT_COST, DEFAULT_SUCCESS_REFUND);
    }

    /** A budget that never runs out, for callers who bound retries some other way. */
    public static RetryBudget unlimited() {
        return UNLIMITED;
    }

    /** The cost of a retry after an attempt that did ({@code timedOut}) or did not time out. */
    public int costOfRetry(boolean timedOut) {
        return timedOut ? timeoutCost : retryCost;
    }

    /** Takes {@code cost} tokens if there are that many; returns false, taking nothing, otherwise. */
    public boolean tryAcquire(int cost) {
        if (this == UNLIMITED || cost == 0) {
            return true;
        }
        while (true) {
            int available = tokens.get();
            if (available < cost) {
                return false;
            }
            if (tokens.compareAndSet(available, available - cost)) {
                return true;
            }
        }
    }

    /**
     * Records a successful operation.
     *
     * @param lastRetryCost what the successful attempt's retry took, or 0 when the first attempt succeeded
     */
    public void onSuccess(int lastRetryCost) {
        int refund = lastRetryCost > 0 ? lastRetryCost : successRefund;
        // The common case is a full bucket: a plain read keeps the success path free of contended writes.
        if (this == UNLIMITED || refund == 0 || tokens.get() >= capacity) {
            return;
        }
        tokens.accumulateAndGet(refund, (current, add) -> (int) Math.min(capacity, (long) current + add));
    }

    /** Tokens left now. */
    public int available() {
        return this == UNLIMITED ? Integer.MAX_VALUE : tokens.get();
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public String toString() {
        return this == UNLIMITED ? "RetryBudget[unlimited]"
                : "RetryBudget[" + tokens.get() + "/" + capacity + ", retryCost=" + retryCost
                        + ", timeoutCost=" + timeoutCost + ", successRefund=" + successRefund + "]";
    }
}
