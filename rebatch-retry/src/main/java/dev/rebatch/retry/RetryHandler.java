package dev.rebatch.retry;

import dev.rebatch.retry.classify.BatchOutcomeClassifier;
import dev.rebatch.retry.classify.OutcomeClassifier;
import dev.rebatch.retry.policy.RetryPolicy;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.retry.throttle.AdaptiveRateLimiter;
import dev.rebatch.retry.throttle.RetryBudget;
import dev.rebatch.retry.time.SystemTimeSource;
import dev.rebatch.retry.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The global retry handler: one per client, shared by all its operations (and so by one retry budget and one
 * adaptive send rate). It runs an operation, classifies each failure, and waits the right time before trying
 * again, or stops with a {@link RetryFailedException} that says why. Thread-safe.
 *
 * <pre>{@code
 * RetryHandler handler = RetryHandler.builder()
 *         .policy(RetryPolicyProvider.exponentialRetry(Duration.ofSeconds(1), 6))
 *         .build();
 * Job job = handler.execute(attempt -> http.getJob("job-1", attempt.operationId(), attempt.timeout()));
 * }</pre>
 */
public final class RetryHandler {

    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_SERVER_HINT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MIN_ATTEMPT_TIME = Duration.ofSeconds(1);

    private final RetryPolicy policy;
    private final Duration attemptTimeout;
    private final Duration deadline;
    private final RetryBudget budget;
    private final AdaptiveRateLimiter rateLimiter;
    private final RetryRules rules;

    private RetryHandler(Builder builder) {
        this.policy = builder.policy;
        this.attemptTimeout = builder.attemptTimeout;
        this.deadline = builder.deadline;
        this.budget = builder.budget;
        this.rateLimiter = builder.adaptive ? new AdaptiveRateLimiter(builder.time) : null;
        this.rules = new RetryRules(builder.time, builder.classifier, builder.budget, rateLimiter, builder.random,
                builder.listener, builder.maxServerHint, builder.minAttemptTime);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A handler with every default (see docs/retry.md). */
    public static RetryHandler withDefaults() {
        return builder().build();
    }

    /** Runs {@code operation} with the handler's defaults. */
    public <T> T execute(Operation<T> operation) {
        return execute(CallOptions.DEFAULTS, operation);
    }

    /**
     * Runs {@code operation}, retrying as the policy and the shared rules allow.
     *
     * @return the first successful attempt's result
     * @throws RetryFailedException when the handler stops without a success
     */
    public <T> T execute(CallOptions options, Operation<T> operation) {
        OperationRun run = newRun(options);
        if (rateLimiter != null) {
            sleepForPacing(run);
        }
        T result;
        try {
            result = operation.call(run);
        } catch (Exception failure) {
            return retryAfterFailure(run, operation, failure);
        }
        rules.afterSuccess(run);
        return result;
    }

    /** Runs {@code operation} asynchronously with the handler's defaults. */
    public <T> CompletableFuture<T> executeAsync(AsyncOperation<T> operation) {
        return executeAsync(CallOptions.DEFAULTS, operation);
    }

    /**
     * Runs {@code operation} asynchronously. Waits between attempts never block a thread. Cancelling the
     * returned future cancels the attempt in flight and any scheduled retry. The future fails with a
     * {@link RetryFailedException} when the handler stops without a success.
     */
    public <T> CompletableFuture<T> executeAsync(CallOptions options, AsyncOperation<T> operation) {
        return new AsyncRetry<>(rules, newRun(options), operation).start();
    }

    /** The budget this handler's operations share. */
    public RetryBudget budget() {
        return budget;
    }

    /** The adaptive send-rate limiter, or {@code null} when adaptive mode is off. */
    public AdaptiveRateLimiter rateLimiter() {
        return rateLimiter;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** The source of time the handler waits with; callers that poll wait with it too, so tests stay virtual. */
    public TimeSource timeSource() {
        return rules.time;
    }

    /** How the handler classifies outcomes; callers that need to know "may this have been applied?" ask it. */
    public OutcomeClassifier classifier() {
        return rules.classifier;
    }

    private OperationRun newRun(CallOptions options) {
        return new OperationRun(
                options.policy() != null ? options.policy() : policy,
                options.attemptTimeout() != null ? options.attemptTimeout() : attemptTimeout,
                options.deadline() != null ? options.deadline() : deadline,
                options.operationId(),
                rules.time);
    }

    private <T> T retryAfterFailure(OperationRun run, Operation<T> operation, Exception firstFailure) {
        Exception failure = firstFailure;
        while (true) {
            if (failure instanceof InterruptedException) {
                // The operation itself was interrupted (HttpClient.send does this): stop, and keep the flag set.
                Thread.currentThread().interrupt();
                throw rules.stopBetweenAttempts(run, StopReason.INTERRUPTED, failure).failure();
            }
            RetryRules.Step step = rules.afterFailure(run, failure);
            if (!step.retry()) {
                throw step.failure();
            }
            try {
                rules.time.sleep(step.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw rules.stopBetweenAttempts(run, StopReason.INTERRUPTED, e).failure();
            }
            sleepForPacing(run);
            if (!run.startNextAttempt(rules.time)) {
                throw rules.stopBetweenAttempts(run, StopReason.DEADLINE_EXCEEDED, failure).failure();
            }
            try {
                T result = operation.call(run);
                rules.afterSuccess(run);
                return result;
            } catch (Exception next) {
                failure = next;
            }
        }
    }

    private void sleepForPacing(OperationRun run) {
        long wait = rules.pace(run);
        if (wait > 0) {
            try {
                rules.time.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw rules.stopBetweenAttempts(run, StopReason.INTERRUPTED, e).failure();
            }
        }
    }

    /** Configures a handler. Every setting has a default; see docs/retry.md for each and why. */
    public static final class Builder {
        private RetryPolicy policy = RetryPolicyProvider.defaultPolicy();
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private Duration deadline;
        private RetryBudget budget = RetryBudget.standard();
        private boolean adaptive;
        private TimeSource time = SystemTimeSource.systemDefault();
        private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
        private OutcomeClassifier classifier = new BatchOutcomeClassifier();
        private RetryListener listener = RetryListener.NONE;
        private Duration maxServerHint = DEFAULT_MAX_SERVER_HINT;
        private Duration minAttemptTime = DEFAULT_MIN_ATTEMPT_TIME;

        private Builder() {}

        /** The policy for calls that do not choose their own. Default: exponential, 1 s, 6 retries, 30 s cap. */
        public Builder policy(RetryPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The time each attempt may take; {@code null} for none. Default 60 s, as the .NET Batch SDK. */
        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = requirePositiveOrNull(attemptTimeout, "attemptTimeout");
            return this;
        }

        /** The overall time for each operation, attempts and waits included; {@code null} (default) for none. */
        public Builder deadline(Duration deadline) {
            this.deadline = requirePositiveOrNull(deadline, "deadline");
            return this;
        }

        /** The retry budget shared by this handler's operations. Default: {@link RetryBudget#standard()}. */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Paces every attempt with a CUBIC-style adaptive send rate once the service throttles. Default off. */
        public Builder adaptiveRateLimiting(boolean adaptive) {
            this.adaptive = adaptive;
            return this;
        }

        /** The source of time; tests pass a {@link dev.rebatch.retry.time.VirtualTimeSource}. */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** The source of jitter; tests pass a seeded generator. Called once per decision. */
        public Builder random(Supplier<RandomGenerator> random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** How failures are classified. Default: {@link BatchOutcomeClassifier}. */
        public Builder classifier(OutcomeClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /** Sees every attempt. */
        public Builder listener(RetryListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The longest server hint the handler will wait for; a longer one stops the operation. Default 5 min. */
        public Builder maxServerHint(Duration maxServerHint) {
            this.maxServerHint = Objects.requireNonNull(requirePositiveOrNull(maxServerHint, "maxServerHint"));
            return this;
        }

        /**
         * The least time a retry must have before the deadline for it to be worth starting (or the attempt
         * timeout, when that is shorter). Default 1 s.
         */
        public Builder minAttemptTime(Duration minAttemptTime) {
            this.minAttemptTime = Objects.requireNonNull(requirePositiveOrNull(minAttemptTime, "minAttemptTime"));
            return this;
        }

        public RetryHandler build() {
            return new RetryHandler(this);
        }

        private static Duration requirePositiveOrNull(Duration value, String name) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
