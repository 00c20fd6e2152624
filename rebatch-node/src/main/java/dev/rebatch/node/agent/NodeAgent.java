package dev.rebatch.node.agent;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.errors.LeaseRefusedException;
import dev.rebatch.model.agent.CompletionReports;
import dev.rebatch.model.agent.HeldAttempt;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.exec.CancelReason;
import dev.rebatch.node.exec.TaskLauncher;
import dev.rebatch.node.files.TaskFiles;
import dev.rebatch.node.retention.RetentionSweeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A compute-node agent: joins a pool over the node-agent protocol (docs/node-agent-protocol.md), leases tasks, runs
 * them with the execution core ({@link TaskLauncher}), reports how each attempt starts and ends, and serves the task
 * files to the service ({@link AgentFilesServer}). Every call goes through the client's one retry handler, so a flaky
 * service costs retries, never a task. This class puts the parts together and stops them; each part does one thing:
 * <ul>
 *   <li>{@link PoolMembership}: the node the agent is. A node an earlier run left behind leaves first; the new node's
 *       id and token are drawn and kept before the registration, so every try names the same node.</li>
 *   <li>{@link LeaseLoop}: one virtual thread that registers, then makes lease calls one after another, never two at
 *       once, each listing every attempt still running or whose completion was not yet acknowledged and asking for
 *       the free slots; it acts on cancellations, reboots and grants. A node with no free slot calls all the same (it
 *       is the heartbeat); the service answers it as soon as one of its completions is accepted. A lease call
 *       answered NodeNotFound, PoolNotFound or NodeTokenInvalid means the node is gone: every attempt is dropped, and
 *       the agent registers again (if built with {@link Builder#reRegister}) or stops.</li>
 *   <li>{@link Attempts}: the attempts granted and not yet forgotten, what the lease calls list, the slots they
 *       hold.</li>
 *   <li>{@link AttemptRunner}: each granted attempt on a virtual thread of its own: launch, start report, outcome,
 *       completion, reported ({@link CompletionSender}) until the service acknowledges or refuses it
 *       ({@link LeaseRefusedException}); the attempt stays listed meanwhile, so its lease does not lapse while the
 *       report waits for a reachable service. A cancellation ends the attempt's process with the matching
 *       {@link CancelReason}; no report follows.</li>
 * </ul>
 *
 * <p><b>Stopping.</b> {@link #close()} stops leasing and ends the processes of the running attempts without reporting
 * them: the service requeues those tasks once their leases lapse (the lease TTL), exactly as it would for an agent
 * that crashed, and the node turns {@code unknown}. Reporting them as failed would instead count against their
 * retries, although the tasks did nothing wrong. {@link #leave()} is the polite way out: the same, then the node leaves
 * its pool, which requeues its tasks at once (Batch's nodeDeallocationOption {@code requeue}) and removes the node.
 * Either way the requeued tasks keep their retryCount and get requeueCount + 1. A lease call in flight is not cut
 * when the agent stops (the service could not answer it, and would log that): its answer, which comes at once when the
 * node leaves and at the end of its wait otherwise, is ignored; tasks it may grant are requeued like the others. Only
 * a call still unanswered a heartbeat interval and 10 s later is given up on.
 */
public final class NodeAgent implements AutoCloseable {

    /** How long {@link #close()} waits for the lease loop and for the processes being ended. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final BatchClient client;
    private final AgentSettings settings;
    private final ScheduledThreadPoolExecutor scheduler;
    private final RetentionSweeper retention;
    private final TaskFiles taskFiles;
    private final Attempts attempts = new Attempts();
    private final StopSignal stop = new StopSignal();
    private final CompletableFuture<NodeRegistration> firstRegistration = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopCalled = new AtomicBoolean();

    /** The parts {@link #start()} made; {@code null} before. */
    private volatile Running running;

    /** The parts that exist only once the agent runs. */
    private record Running(AgentFilesServer filesServer, CompletionSender completions, PoolMembership membership,
            AttemptRunner runner, LeaseLoop loop, Thread loopThread) {}

    private NodeAgent(Builder builder) {
        this.client = builder.client;
        Path root = builder.root.toAbsolutePath().normalize();
        this.settings = new AgentSettings(builder.poolId, root, builder.taskSlots,
                builder.hostname != null ? builder.hostname : localHostName(), builder.filesBindHost,
                builder.filesPort, builder.filesAdvertisedHost != null ? builder.filesAdvertisedHost
                        : builder.filesBindHost, builder.reRegister, builder.agentVersion, builder.options,
                builder.killGrace, builder.inheritedEnvironment, builder.clock, builder.registrationFile,
                builder.onRegistered);
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "rebatch-agent-timers-" + builder.poolId);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        NodeLayout layout = new NodeLayout(root);
        this.retention = new RetentionSweeper(layout, scheduler, builder.clock);
        this.taskFiles = new TaskFiles(layout, retention::isCleanedUp);
    }

    /**
     * @param client the client of the pool's account; its retry handler carries every call of the agent
     * @param poolId the pool to join
     */
    public static Builder builder(BatchClient client, String poolId) {
        return new Builder(client, poolId);
    }

    /**
     * Starts serving task files and the lease loop, which registers first; returns at once. See
     * {@link #registered()} for the registration.
     *
     * @throws UncheckedIOException when the files server cannot listen on its address
     */
    public NodeAgent start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("The agent was started already");
        }
        AgentFilesServer filesServer;
        try {
            filesServer = AgentFilesServer.start(settings.filesBindHost(), settings.filesPort(),
                    settings.filesAdvertisedHost(), taskFiles);
        } catch (IOException e) {
            scheduler.shutdownNow();
            throw new UncheckedIOException("Cannot serve task files on " + settings.filesBindHost() + ":"
                    + settings.filesPort() + ": " + e.getMessage(), e);
        }
        retention.start(RetentionSweeper.DEFAULT_INTERVAL);
        CompletionSender completions = new CompletionSender(client, settings.options(), stop::stopping,
                LeaseLoop.MIN_PAUSE, LeaseLoop.MAX_PAUSE,
                new Linger(Linger.DEFAULT, CompletionReports.MAX_COMPLETIONS), attempts::anyProcessRunning);
        PoolMembership membership = new PoolMembership(client, settings, filesServer, scheduler, retention,
                firstRegistration);
        AttemptRunner runner = new AttemptRunner(client, settings.options(), attempts, completions, stop,
                settings.clock());
        completions.offerFreedSlots(new GrantsForFreedSlots(membership, runner));
        long sweep = AttemptRunner.START_REPORT_SWEEP.toMillis();
        scheduler.scheduleWithFixedDelay(runner::reportStartsDue, sweep, sweep, TimeUnit.MILLISECONDS);
        // Ended by itself (its node is gone): release what it holds, on another thread, as stopping joins the loop.
        LeaseLoop loop = new LeaseLoop(client, settings, membership, attempts, runner, stop,
                () -> Thread.ofVirtual().start(() -> stop(false)));
        Thread loopThread = Thread.ofVirtual().name("rebatch-agent-" + settings.poolId()).unstarted(loop);
        running = new Running(filesServer, completions, membership, runner, loop, loopThread);
        loopThread.start();
        return this;
    }

    /**
     * Completes with the first registration; fails when the agent stops before it registered (the service refused
     * the registration: PoolNotFound, AuthenticationFailed... or {@link #close()} was called).
     */
    public CompletableFuture<NodeRegistration> registered() {
        return firstRegistration.copy();
    }

    /** Completes when the agent has stopped: closed, or its node gone without {@link Builder#reRegister}. */
    public CompletableFuture<Void> stopped() {
        return stopped.copy();
    }

    /** The node the agent is now, if it is registered. */
    public Optional<NodeRegistration> registration() {
        Running parts = running;
        return parts == null ? Optional.empty() : parts.membership().node();
    }

    /** The attempts the service counts as this node's now: running, or with a completion not yet acknowledged. */
    public List<HeldAttempt> heldAttempts() {
        return List.copyOf(attempts.listed());
    }

    /** Where the service finds this node's task files ({@code agentFilesUrl}); known once started. */
    public URI filesUrl() {
        Running parts = running;
        if (parts == null) {
            throw new IllegalStateException("The agent is not started");
        }
        return parts.filesServer().url();
    }

    /** The node's root directory: {@code workitems/}, {@code shared/}... */
    public Path root() {
        return settings.root();
    }

    public String poolId() {
        return settings.poolId();
    }

    /**
     * Stops the agent without telling the service: leasing stops, the running attempts' processes are ended and not
     * reported, and the service requeues their tasks when their leases lapse; the node stays in the pool and turns
     * {@code unknown}. Waits up to about 10 s for the processes to end. Closing twice does nothing.
     */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops the agent as {@link #close()} does, then leaves the pool: the service removes the node and requeues
     * whatever it still held at once. If the service cannot be told, it requeues them when their leases lapse.
     */
    public void leave() {
        stop(true);
    }

    private void stop(boolean leavePool) {
        if (!stopCalled.compareAndSet(false, true)) {
            awaitStopped(STOP_WAIT.multipliedBy(2));
            return;
        }
        Running parts = running;
        // The lease call in flight is not cut: a call whose connection is closed under it is one the service
        // cannot answer, which it logs. It is answered soon enough: at once when the node leaves (below), else at the
        // end of its wait; its answer is ignored.
        long giveUpBy = System.nanoTime() + STOP_WAIT.toNanos()
                + (parts == null ? 0 : TimeUnit.MILLISECONDS.toNanos(parts.loop().waitMillis()));
        stop.stop();
        attempts.dropAll(CancelReason.NODE_STOPPING);
        if (parts != null) {
            parts.runner().awaitProcessesEnded(settings.killGrace().plus(STOP_WAIT));
            parts.completions().close();
            if (leavePool) {
                RequestOptions options = settings.options();
                parts.membership().leave(options.deadline() == null ? options.withDeadline(STOP_WAIT) : options);
            }
            awaitLoopEnded(parts.loopThread(), giveUpBy);
            parts.filesServer().close();
        }
        retention.stop();
        scheduler.shutdownNow();
        firstRegistration.completeExceptionally(new IllegalStateException(
                "The node agent of pool " + settings.poolId() + " stopped before it joined the pool"));
        stopped.complete(null);
    }

    /** Waits for the lease loop to end, and gives up on its call in flight at {@code giveUpBy}. */
    private static void awaitLoopEnded(Thread loop, long giveUpBy) {
        if (loop == Thread.currentThread()) {
            return;
        }
        joinQuietly(loop, Duration.ofNanos(Math.max(0, giveUpBy - System.nanoTime())).plusSeconds(1));
        if (loop.isAlive()) {
            // A call the service does not answer in time: give up on it.
            loop.interrupt();
            joinQuietly(loop, STOP_WAIT);
        }
    }

    /** A second stop waits for the first to finish. */
    private void awaitStopped(Duration timeout) {
        try {
            stopped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The first stop ends as it ends; this one has waited long enough.
        }
    }

    private static void joinQuietly(Thread thread, Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Configures an agent; only the client, the pool and {@link #root} are required. */
    public static final class Builder {

        private final BatchClient client;
        private final String poolId;
        private Path root;
        private Integer taskSlots;
        private String hostname;
        private String filesBindHost = "127.0.0.1";
        private int filesPort;
        private String filesAdvertisedHost;
        private boolean reRegister;
        private String agentVersion = "rebatch";
        private RequestOptions options = RequestOptions.DEFAULTS;
        private Duration killGrace = TaskLauncher.DEFAULT_KILL_GRACE;
        private Map<String, String> inheritedEnvironment;
        private Clock clock = Clock.systemUTC();
        private Path registrationFile;
        private Consumer<NodeRegistration> onRegistered;

        private Builder(BatchClient client, String poolId) {
            this.client = Objects.requireNonNull(client, "client");
            this.poolId = Objects.requireNonNull(poolId, "poolId");
        }

        /** The node's root directory: task directories go under {@code workitems/}. Required. */
        public Builder root(Path root) {
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        /** How many task slots to offer (1 to 256); default: the pool's taskSlotsPerNode. */
        public Builder taskSlots(Integer slots) {
            if (slots != null && (slots < 1 || slots > 256)) {
                throw new IllegalArgumentException("taskSlots must be from 1 to 256, was " + slots);
            }
            this.taskSlots = slots;
            return this;
        }

        /** The host name the node registers with (default: this machine's). */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            return this;
        }

        /**
         * Where the files server listens (default 127.0.0.1, an ephemeral port) and the host the service reaches it
         * by (default: the bind host; give one when binding 0.0.0.0).
         */
        public Builder filesServer(String bindHost, int port, String advertisedHost) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("The files port must be from 0 to 65535, was " + port);
            }
            this.filesBindHost = Objects.requireNonNull(bindHost, "bindHost");
            this.filesPort = port;
            this.filesAdvertisedHost = advertisedHost;
            return this;
        }

        /** Join the pool again when the node is removed (NodeNotFound, PoolNotFound), instead of stopping. */
        public Builder reRegister(boolean reRegister) {
            this.reRegister = reRegister;
            return this;
        }

        /** Shown as the node's nodeAgentInfo.version. */
        public Builder agentVersion(String version) {
            this.agentVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Per-call options of every call (a retry policy, attempt timeouts); the lease call's timeout is raised. */
        public Builder requestOptions(RequestOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** SIGTERM's head start before SIGKILL when a task is ended (default 5 s). */
        public Builder killGrace(Duration killGrace) {
            this.killGrace = Objects.requireNonNull(killGrace, "killGrace");
            return this;
        }

        /** What tasks inherit from the agent (default: PATH, HOME, locale... from this process). */
        public Builder inheritedEnvironment(Map<String, String> environment) {
            this.inheritedEnvironment = Map.copyOf(environment);
            return this;
        }

        /** The clock of start and end times and of retention. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Remembers the node in {@code file} (pool, node id and token; readable by the owner only), so that the next
         * run with the same file first makes a node left behind leave the pool: the node of an agent that crashed
         * otherwise stays in the pool, {@code unknown}, for good. The file goes when the node leaves.
         */
        public Builder registrationFile(Path file) {
            this.registrationFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Told of every registration: the first and each later one. */
        public Builder onRegistered(Consumer<NodeRegistration> listener) {
            this.onRegistered = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public NodeAgent build() {
            if (root == null) {
                throw new IllegalStateException("Set the node's root directory: NodeAgent.builder(...).root(path)");
            }
            return new NodeAgent(this);
        }
    }
}
