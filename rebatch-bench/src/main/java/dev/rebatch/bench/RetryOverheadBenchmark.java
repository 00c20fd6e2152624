package dev.rebatch.bench;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import dev.rebatch.retry.Operation;
import dev.rebatch.retry.RetryHandler;
import io.github.resilience4j.retry.Retry;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost a retry handler adds to a call that succeeds at once (no failure, no retry), which is nearly every
 * call: the same operation run directly, through rebatch's {@link RetryHandler}, through a resilience4j
 * {@link Retry} and through a Failsafe {@link RetryPolicy}, each with its library's defaults.
 *
 * <p>The operation does a little real work on mutable state ({@code counter++ ^ seed}) so that the JIT cannot
 * fold it, and returns a {@code Long} outside the {@link Long#valueOf} cache, like a real call returns an object.
 * Every benchmark unboxes the result and returns it, so JMH consumes it; a box that does not escape is then free
 * to be scalar-replaced, and any allocation {@code -prof gc} reports beyond {@code direct}'s is the handler's.
 *
 * <p>Every handler, operation and supplier is built once in {@link #setUp()}; the benchmarks allocate only what
 * the libraries allocate per call. See docs/benchmarks.md for how to build and run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RetryOverheadBenchmark {

    private long counter;
    private long seed;

    private Operation<Long> operation;
    private RetryHandler handler;

    private Callable<Long> callable;
    private Retry retry;

    private CheckedSupplier<Long> supplier;
    private FailsafeExecutor<Long> failsafe;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom();
        // High bits set, so no result ever comes from the Long.valueOf cache.
        seed = random.nextLong() | (1L << 62);
        counter = random.nextLong(1 << 20);

        operation = attempt -> work();
        handler = RetryHandler.withDefaults();

        callable = this::work;
        retry = Retry.ofDefaults("bench");

        supplier = this::work;
        failsafe = Failsafe.with(RetryPolicy.<Long>ofDefaults());
    }

    /** The operation's work: cheap, but not foldable, and a different result every call. */
    private Long work() {
        return counter++ ^ seed;
    }

    /** The operation itself, no handler: the baseline. The lambda ignores its attempt, so none is made. */
    @Benchmark
    public long direct() throws Exception {
        return operation.call(null);
    }

    /** rebatch: the default handler (policy, 60 s attempt timeout, standard retry budget, no adaptive pacing). */
    @Benchmark
    public long rebatch() {
        return handler.execute(operation);
    }

    /** resilience4j: {@code Retry.ofDefaults} (3 attempts, 500 ms wait), one executeCallable per call. */
    @Benchmark
    public long resilience4j() throws Exception {
        return retry.executeCallable(callable);
    }

    /** Failsafe: {@code RetryPolicy.ofDefaults()} (3 attempts, no delay), executor built once. */
    @Benchmark
    public long failsafe() {
        return failsafe.get(supplier);
    }
}
