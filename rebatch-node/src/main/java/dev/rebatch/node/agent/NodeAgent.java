package dev.rebatch.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.client.BatchClient;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.errors.LeaseRefusedException;
import dev.rebatch.model.agent.AttemptCompleted;
import dev.rebatch.model.agent.AttemptStarted;
import dev.rebatch.model.agent.Cancellation;
import dev.rebatch.model.agent.HeldAttempt;
import dev.rebatch.model.agent.Lease;
import dev.rebatch.model.agent.LeaseAnswer;
import dev.rebatch.model.agent.LeaseRequest;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.model.agent.NodeRegistrationRequest;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.node.NodeContext;
import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.exec.CancelReason;
import dev.rebatch.node.exec.RunningTask;
import dev.rebatch.node.exec.TaskLauncher;
import dev.rebatch.node.exec.TaskOutcome;
import dev.rebatch.node.exec.TaskSpec;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compute-node agent: joins a pool over the node-agent protocol (docs/node-agent-protocol.md), leases tasks, runs
 * them with the execution core ({@link TaskLauncher}), reports how each attempt starts and ends, and serves the task
 * files to the service ({@link AgentFilesServer}). Every call goes through the client's one retry handler, so a flaky
 * service costs retries, never a task.
 *
 * <p>How it works:
 * <ul>
 *   <li><b>One lease loop</b> on a virtual thread: it registers, then makes lease calls one after another, never two
 *       at once. Each call lists every attempt still running or whose completion was not yet acknowledged, and asks
 *       for as many slots as are free (the node's slots minus the requiredSlots of those attempts and of processes
 *       still ending). A call that fails after the handler's retries is logged and made again after a pause that
 *       doubles up to 30 s.</li>
 *   <li>A node with no free slot makes its call all the same (it is the heartbeat, and cancellations come in its
 *       answer); the service answers it as soon as one of the node's completions is accepted, naming the completed
 *       attempt among the cancellations (the call still listed it), and the next call asks for the freed slot.</li>
 *   <li>Each granted attempt has a virtual thread of its own: it launches the task, reports the start, waits for the
 *       outcome and reports the completion, again and again until the service acknowledges it or refuses it
 *       ({@link LeaseRefusedException}: the attempt is no longer this node's). The attempt stays listed in the lease
 *       calls meanwhile, so its lease does not lapse while the report waits for a reachable service.</li>
 *   <li>A cancellation ends the attempt's process with the matching {@link CancelReason}; no report follows. A
 *       {@code reboot: true} answer drops every attempt and goes on. A lease call answered NodeNotFound, PoolNotFound or
 *       NodeTokenInvalid means the node is gone: every attempt is dropped, and the agent registers again (if built
 *       with {@link Builder#reRegister}) or stops.</li>
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

    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    /** A task that ends sooner is reported only by its completion (see {@link #awaitReportingStart}). */
    static final Duration START_REPORT_DELAY = Duration.ofMillis(100);
    static final Duration MIN_PAUSE = Duration.ofMillis(250);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    /** Joining (again) is cheap for the service and a node waiting to join is wasted: try at least this often. */
    static final Duration MAX_REGISTRATION_PAUSE = Duration.ofSeconds(5);
    /** The refusal of a registration whose node id is taken by another node (see {@link #register}). */
    private static final String NODE_EXISTS = "NodeExists";
    /** How long {@link #close()} waits for the lease loop and for the processes being ended. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final BatchClient client;
    private final String poolId;
    private final Path root;
    private final Integer taskSlots;
    private final String hostname;
    private final String filesBindHost;
    private final int filesPort;
    private final String filesAdvertisedHost;
    private final boolean reRegister;
    private final String agentVersion;
    private final RequestOptions options;
    private final Duration killGrace;
    private final Map<String, String> inheritedEnvironment;
    private final Clock clock;
    private final RegistrationFile registrationFile;
    private final Consumer<NodeRegistration> onRegistered;

    private final ScheduledThreadPoolExecutor scheduler;
    private final RetentionSweeper retention;
    private final TaskFiles taskFiles;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever an attempt changes, a call ends, or the agent stops. */
    private final Condition changed = lock.newCondition();
    private final Map<HeldAttempt, Attempt> attempts = new ConcurrentHashMap<>();
    /** The last process of each task on this node, across registrations: a new attempt waits for the old to end. */
    private final Map<TaskKey, RunningTask> live = new ConcurrentHashMap<>();
    private final CompletableFuture<NodeRegistration> firstRegistration = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopCalled = new AtomicBoolean();

    private volatile NodeRegistration node;
    /** The registration being made: the node it names, until the service answered it (only the lease loop's). */
    private NodeRegistrationRequest naming;
    private volatile TaskLauncher launcher;
    private volatile long waitMillis;
    private volatile boolean stopping;
    /** When stopping: the moment a call still in flight is given up on ({@link System#nanoTime()}). */
    private volatile long giveUpBy;
    private volatile Thread loopThread;
    private volatile AgentFilesServer filesServer;
    private volatile CompletionSender completions;
    private volatile boolean warnedNoFilesKey;

    private NodeAgent(Builder builder) {
        this.client = builder.client;
        this.poolId = builder.poolId;
        this.root = builder.root.toAbsolutePath().normalize();
        this.taskSlots = builder.taskSlots;
        this.hostname = builder.hostname != null ? builder.hostname : localHostName();
        this.filesBindHost = builder.filesBindHost;
        this.filesPort = builder.filesPort;
        this.filesAdvertisedHost = builder.filesAdvertisedHost != null ? builder.filesAdvertisedHost
                : builder.filesBindHost;
        this.reRegister = builder.reRegister;
        this.agentVersion = builder.agentVersion;
        this.options = builder.options;
        this.killGrace = builder.killGrace;
        this.inheritedEnvironment = builder.inheritedEnvironment;
        this.clock = builder.clock;
        this.registrationFile = builder.registrationFile == null ? null
                : new RegistrationFile(builder.registrationFile);
        this.onRegistered = builder.onRegistered;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "rebatch-agent-timers-" + poolId);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        NodeLayout layout = new NodeLayout(root);
        this.retention = new RetentionSweeper(layout, scheduler, clock);
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
        try {
            filesServer = AgentFilesServer.start(filesBindHost, filesPort, filesAdvertisedHost, taskFiles);
        } catch (IOException e) {
            scheduler.shutdownNow();
            throw new UncheckedIOException("Cannot serve task files on " + filesBindHost + ":" + filesPort + ": "
                    + e.getMessage(), e);
        }
        retention.start(RetentionSweeper.DEFAULT_INTERVAL);
        completions = new CompletionSender(client, options, () -> stopping, MIN_PAUSE, MAX_PAUSE);
        loopThread = Thread.ofVirtual().name("rebatch-agent-" + poolId).start(this::leaseLoop);
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
        return Optional.ofNullable(node);
    }

    /** The attempts the service counts as this node's now: running, or with a completion not yet acknowledged. */
    public List<HeldAttempt> heldAttempts() {
        return attempts.values().stream().filter(Attempt::listed).map(attempt -> attempt.id).toList();
    }

    /** Where the service finds this node's task files ({@code agentFilesUrl}); known once started. */
    public URI filesUrl() {
        AgentFilesServer server = filesServer;
        if (server == null) {
            throw new IllegalStateException("The agent is not started");
        }
        return server.url();
    }

    /** The node's root directory: {@code workitems/}, {@code shared/}... */
    public Path root() {
        return root;
    }

    public String poolId() {
        return poolId;
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

    // ------------------------------------------------------------------------------------------------ lease loop

    private void leaseLoop() {
        Duration pause = MIN_PAUSE;
        try {
            while (!stopping) {
                try {
                    if (node == null) {
                        register();
                    } else {
                        LeaseAnswer answer = leaseCall();
                        if (answer != null && !stopping) {
                            handle(answer);
                        }
                    }
                    pause = MIN_PAUSE;
                } catch (BatchServiceException refused) {
                    if (stopping || !goOnAfter(refused)) {
                        break;
                    }
                    pauseFor(pause);
                    pause = longer(pause, node == null ? MAX_REGISTRATION_PAUSE : MAX_PAUSE);
                } catch (RuntimeException failed) {
                    if (stopping) {
                        break;
                    }
                    log.warn("Node agent of pool {}: {}; trying again in {} ms", poolId, oneLine(failed),
                            pause.toMillis());
                    log.debug("The failure in full", failed);
                    pauseFor(pause);
                    pause = longer(pause, node == null ? MAX_REGISTRATION_PAUSE : MAX_PAUSE);
                }
            }
        } catch (Error fatal) {
            log.error("The lease loop of pool {} died", poolId, fatal);
            throw fatal;
        } finally {
            if (!stopping) {
                // Stopped by itself (its node is gone): release what it holds, on another thread, as close() joins this one.
                Thread.ofVirtual().start(() -> stop(false));
            }
        }
    }

    /**
     * Registers as the node this registration names. The name (node id and token) is drawn once and kept, in memory
     * and in the registration file, before the first call: every try, after a lost answer or a failed call, names the
     * same node, so the service makes it once; and a crash before the answer leaves a node the next run can find and
     * make leave. Only a refusal of the name itself (NodeExists) or a registration that succeeded ends it.
     */
    private void register() {
        if (naming == null) {
            if (registrationFile != null) {
                leaveEarlierNode();
            }
            naming = new NodeRegistrationRequest(hostname, filesServer.url().toString(), taskSlots, agentVersion)
                    .withNewNode();
            if (registrationFile != null) {
                registrationFile.writeBeforeRegistering(poolId, naming);
            }
        }
        NodeRegistration registration;
        try {
            registration = client.nodeAgent().register(poolId, naming, options);
        } catch (BatchServiceException refused) {
            if (NODE_EXISTS.equalsIgnoreCase(refused.errorCode())) {
                naming = null; // another node has that name: the next try draws a new one
            }
            throw refused;
        }
        naming = null;
        if (registration.filesKey() == null && !warnedNoFilesKey) {
            warnedNoFilesKey = true;
            log.info("The service sent no files key: this node serves no task files to anyone");
        }
        filesServer.filesKey(registration.filesKey());
        TaskLauncher.Builder launch = TaskLauncher.builder(new NodeContext(client.accountName(),
                client.endpoint().toString(), registration.poolId(), registration.nodeId(), root, true), scheduler)
                .retention(retention).killGrace(killGrace).clock(clock);
        if (inheritedEnvironment != null) {
            launch.inheritedEnvironment(inheritedEnvironment);
        }
        launcher = launch.build();
        waitMillis = registration.heartbeatIntervalMillis();
        node = registration;
        log.info("Joined pool {} as node {} ({} task slot(s), task files at {})", registration.poolId(),
                registration.nodeId(), registration.taskSlots(), filesServer.url());
        if (registrationFile != null) {
            registrationFile.write(registration);
        }
        firstRegistration.complete(registration);
        if (onRegistered != null) {
            try {
                onRegistered.accept(registration);
            } catch (RuntimeException listenerFailed) {
                log.warn("The registration listener failed", listenerFailed);
            }
        }
    }

    /**
     * The node an earlier run of this agent registered as (it crashed, or was closed without leaving) is still in the
     * pool, silent: it leaves first, so that the pool does not count it. A call that fails on the way fails this
     * registration attempt, which the loop makes again.
     */
    private void leaveEarlierNode() {
        Optional<NodeRegistration> earlier = registrationFile.read();
        if (earlier.isEmpty()) {
            return;
        }
        NodeRegistration stale = earlier.get();
        try {
            client.nodeAgent().leave(stale, options);
            log.info("Node {}, left behind by an earlier run in {}, left pool {}", stale.nodeId(), root,
                    stale.poolId());
        } catch (BatchServiceException refused) {
            int status = refused.statusCode();
            if (status >= 500 || status == 429 || status == 408) {
                throw refused;
            }
            log.debug("The earlier node {} is gone already: {}", stale.nodeId(), oneLine(refused));
        }
        registrationFile.delete();
    }

    /**
     * One lease call. A node with no free slot asks for none and waits like any other: the service answers it as soon
     * as one of the node's completions is accepted, so the node asks again at once with the slot free.
     */
    private LeaseAnswer leaseCall() {
        NodeRegistration current = node;
        return client.nodeAgent().lease(current,
                new LeaseRequest(freeSlots(current), waitMillis, listedAttempts()), options);
    }

    private void handle(LeaseAnswer answer) {
        if (answer.heartbeatIntervalMillis() > 0) {
            waitMillis = answer.heartbeatIntervalMillis();
        }
        for (Cancellation cancellation : answer.cancellations()) {
            Attempt attempt = attempts.get(cancellation.attempt());
            if (attempt != null && !attempt.dropped()) {
                if (attempt.occupying()) {
                    log.info("Stopping {}: cancelled by the service ({})", attempt, cancellation.reason());
                } else {
                    // Its process has ended and its completion was accepted (the call still listed it), or the
                    // task was ended meanwhile: either way nothing more is to be said about it.
                    log.debug("The service no longer counts {} ({})", attempt, cancellation.reason());
                }
                attempt.drop(CancelReason.fromWire(cancellation.reason()));
                forgetIfFinished(attempt);
            }
        }
        if (answer.reboot()) {
            log.info("Node {} was rebooted: dropping every attempt it ran", node == null ? "?" : node.nodeId());
            dropAll(CancelReason.LEASE_LOST);
        }
        for (Lease lease : answer.leases()) {
            grant(lease);
        }
        signal();
    }

    /** Whether to go on after a refusal; drops the node when the service says it is gone. */
    private boolean goOnAfter(BatchServiceException refused) {
        int status = refused.statusCode();
        boolean transientFailure = status >= 500 || status == 429 || status == 408;
        if (node == null) {
            // A registration.
            if (transientFailure || NODE_EXISTS.equalsIgnoreCase(refused.errorCode())) {
                log.warn("Cannot join pool {} yet: {}", poolId, oneLine(refused));
                return true;
            }
            if (!firstRegistration.isDone()) {
                log.error("Cannot join pool {}: {}", poolId, oneLine(refused));
                firstRegistration.completeExceptionally(refused);
                return false;
            }
            log.warn("Cannot join pool {} again yet: {}", poolId, oneLine(refused));
            return reRegister;
        }
        String code = refused.errorCode();
        if ("NodeNotFound".equalsIgnoreCase(code) || "PoolNotFound".equalsIgnoreCase(code)
                || "NodeTokenInvalid".equalsIgnoreCase(code)) {
            log.warn("Node {} is no longer in pool {} ({}): dropping its {} attempt(s){}", node.nodeId(), poolId, code,
                    attempts.size(), reRegister ? " and joining again" : " and stopping");
            dropAll(CancelReason.LEASE_LOST);
            node = null;
            launcher = null;
            if (registrationFile != null) {
                registrationFile.delete();
            }
            return reRegister;
        }
        log.warn("Lease call of node {} refused: {}", node.nodeId(), oneLine(refused));
        return true;
    }

    // ------------------------------------------------------------------------------------------------ attempts

    private void grant(Lease lease) {
        NodeRegistration current = node;
        TaskLauncher currentLauncher = launcher;
        Attempt attempt = new Attempt(lease.attempt(), lease.requiredSlots(), current);
        Attempt previous = attempts.putIfAbsent(attempt.id, attempt);
        if (previous != null) {
            return; // the same grant twice (a retried call whose first answer was lost): it runs once
        }
        log.debug("Granted {}", attempt);
        Thread.ofVirtual().name("rebatch-task-" + attempt.task).start(() -> runAttempt(attempt, lease,
                currentLauncher));
    }

    private void runAttempt(Attempt attempt, Lease lease, TaskLauncher taskLauncher) {
        try {
            TaskSpec spec;
            try {
                JsonNode common = BatchJson.mapper().valueToTree(lease.job().commonEnvironmentSettings());
                spec = TaskSpec.fromJson(attempt.id.jobId(), lease.task(), common);
            } catch (IllegalArgumentException | NullPointerException unreadable) {
                log.warn("Cannot run {}: {}", attempt, unreadable.getMessage());
                attempt.processGone();
                reportCompletion(attempt, OutcomeReports.unreadable(attempt.id.epoch(),
                        String.valueOf(unreadable.getMessage()), clock.instant()));
                return;
            }
            RunningTask running = launch(attempt, spec, taskLauncher);
            if (running == null) {
                return; // dropped before it started
            }
            attempt.launched(running);
            TaskOutcome outcome = awaitReportingStart(attempt, running);
            attempt.processGone();
            signal();
            if (!attempt.dropped() && !stopping) {
                reportCompletion(attempt, OutcomeReports.completed(attempt.id.epoch(), outcome));
            }
        } catch (RuntimeException unexpected) {
            log.warn("Attempt {} failed in the agent; the service requeues it when its lease lapses", attempt,
                    unexpected);
        } finally {
            attempt.processGone();
            attempt.unlisted();
            forgetIfFinished(attempt);
            signal();
        }
    }

    /** Launches the attempt once no earlier process of the task runs here; {@code null} when it was dropped. */
    private RunningTask launch(Attempt attempt, TaskSpec spec, TaskLauncher taskLauncher) {
        for (int round = 0; ; round++) {
            if (attempt.dropped() || stopping) {
                return null;
            }
            RunningTask earlier = live.get(attempt.task);
            if (earlier != null && !earlier.isDone()) {
                earlier.outcome().join(); // an attempt cancelled earlier is still being ended
                continue;
            }
            try {
                RunningTask running = taskLauncher.launch(spec);
                live.put(attempt.task, running);
                running.outcome().whenComplete((outcome, error) -> live.remove(attempt.task, running));
                return running;
            } catch (IllegalStateException stillThere) {
                if (stopping || round > 100) {
                    throw stillThere;
                }
                // Its last attempt's outcome is being published by the launcher: a moment.
                Optional<RunningTask> last = taskLauncher.running(attempt.task);
                if (last.isPresent()) {
                    last.get().outcome().join();
                } else {
                    sleepQuietly(Duration.ofMillis(10));
                }
            }
        }
    }

    /**
     * The attempt's outcome, reporting its start only if it is still running after {@link #START_REPORT_DELAY}: the
     * completion of a shorter one carries its start time, and its start report would have cost the service a call and
     * a write for a state ("running") it already shows from the grant.
     */
    private TaskOutcome awaitReportingStart(Attempt attempt, RunningTask running) {
        try {
            return running.outcome().get(START_REPORT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            reportStart(attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException failed) {
            // join below throws it, as it did before
        }
        return running.outcome().join();
    }

    private void reportStart(Attempt attempt) {
        try {
            client.nodeAgent().started(attempt.node, attempt.id.jobId(), attempt.id.taskId(),
                    new AttemptStarted(attempt.id.epoch()), options);
        } catch (LeaseRefusedException refused) {
            log.info("Stopping {}: the service no longer counts it as this node's ({})", attempt,
                    refused.errorCode());
            attempt.drop(CancelReason.LEASE_LOST);
        } catch (BatchException failed) {
            // Only a courtesy: the lease calls renew the attempt and the completion report is what counts.
            log.debug("Start report on {} failed: {}", attempt, oneLine(failed));
        }
    }

    /**
     * Reports the completion (batched with others, {@link CompletionSender}) and waits until the service acknowledges
     * or refuses it, the attempt is dropped or the agent stops: until then the lease calls list the attempt.
     */
    private void reportCompletion(Attempt attempt, AttemptCompleted report) {
        completions.report(attempt, report).join();
    }

    private int freeSlots(NodeRegistration current) {
        int used = 0;
        for (Attempt attempt : attempts.values()) {
            if (attempt.countsAgainstSlots()) {
                used += attempt.requiredSlots;
            }
        }
        return Math.max(0, Math.min(256, current.taskSlots() - used));
    }

    private List<HeldAttempt> listedAttempts() {
        List<HeldAttempt> listed = new ArrayList<>();
        for (Attempt attempt : attempts.values()) {
            if (attempt.listed()) {
                listed.add(attempt.id);
            }
        }
        return listed;
    }

    private void dropAll(CancelReason reason) {
        for (Attempt attempt : attempts.values()) {
            attempt.drop(reason);
            forgetIfFinished(attempt);
        }
        signal();
    }

    private void forgetIfFinished(Attempt attempt) {
        if (attempt.finished()) {
            attempts.remove(attempt.id, attempt);
        }
    }

    // ------------------------------------------------------------------------------------------------ stopping

    private void stop(boolean leavePool) {
        if (!stopCalled.compareAndSet(false, true)) {
            awaitQuietly(stopped, STOP_WAIT.multipliedBy(2));
            return;
        }
        // The lease call in flight is not cut: a call whose connection is closed under it is one the service
        // cannot answer, which it logs. It is answered soon enough: at once when the node leaves (below), else at the
        // end of its wait; its answer is ignored.
        giveUpBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) + STOP_WAIT.toNanos();
        stopping = true;
        signal();
        dropAll(CancelReason.NODE_STOPPING);
        for (RunningTask running : List.copyOf(live.values())) {
            awaitQuietly(running.outcome(), killGrace.plus(STOP_WAIT));
        }
        CompletionSender sender = completions;
        if (sender != null) {
            sender.close();
        }
        NodeRegistration current = node;
        if (leavePool && current != null) {
            try {
                client.nodeAgent().leave(current, options.deadline() == null ? options.withDeadline(STOP_WAIT)
                        : options);
                log.info("Node {} left pool {}", current.nodeId(), current.poolId());
                if (registrationFile != null) {
                    registrationFile.delete();
                }
            } catch (BatchException failed) {
                log.warn("Node {} could not leave pool {} ({}); the service requeues its tasks when their leases "
                        + "lapse", current.nodeId(), current.poolId(), oneLine(failed));
            }
        }
        Thread loop = loopThread;
        if (loop != null && loop != Thread.currentThread()) {
            joinQuietly(loop, Duration.ofNanos(Math.max(0, giveUpBy - System.nanoTime())).plusSeconds(1));
            if (loop.isAlive()) {
                // A call the service does not answer in time: give up on it.
                loop.interrupt();
                joinQuietly(loop, STOP_WAIT);
            }
        }
        AgentFilesServer server = filesServer;
        if (server != null) {
            server.close();
        }
        retention.stop();
        scheduler.shutdownNow();
        firstRegistration.completeExceptionally(new IllegalStateException(
                "The node agent of pool " + poolId + " stopped before it joined the pool"));
        stopped.complete(null);
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code pause}, or less when the agent stops. */
    private void pauseFor(Duration pause) {
        long deadline = System.nanoTime() + pause.toNanos();
        lock.lock();
        try {
            long remaining;
            while (!stopping && (remaining = deadline - System.nanoTime()) > 0) {
                changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private static Duration longer(Duration pause, Duration most) {
        Duration doubled = pause.multipliedBy(2);
        return doubled.compareTo(most) > 0 ? most : doubled;
    }

    private static void joinQuietly(Thread thread, Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // It ends as it ends; the caller has waited long enough.
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String oneLine(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
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
