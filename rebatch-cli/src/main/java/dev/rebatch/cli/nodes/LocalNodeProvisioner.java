package dev.rebatch.cli.nodes;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.ListOptions;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.PoolState;
import dev.rebatch.node.agent.NodeAgent;
import dev.rebatch.node.files.FileTreeDeleter;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.server.nodes.LocalNodeLeadership;
import dev.rebatch.server.nodes.NodeProvisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node agents in this JVM for the embedded default: a pool gets as many {@link NodeAgent}s as its
 * targetDedicatedNodes + targetLowPriorityNodes. They are the same agents {@code rebatch node} runs, and talk to the
 * service over loopback HTTP like any other: signed with the account's key, through their own retry handler. Each
 * serves its task files on 127.0.0.1 (an ephemeral port) and keeps its directories under
 * {@code <nodes root>/<account>/<pool>/<n>} (the account is part of the path because two accounts may have pools of
 * the same id).
 *
 * <ul>
 *   <li><b>Growing</b> starts agents with the lowest free numbers; each registers by itself.</li>
 *   <li><b>Shrinking</b> stops idle agents first (the highest numbers among them), then busy ones. A stopped agent
 *       ends its processes and leaves the pool: the tasks it ran are requeued at once, with requeueCount + 1 and
 *       retryCount unchanged, as Batch's default nodeDeallocationOption {@code requeue} does. (Batch's other options,
 *       taskcompletion and retaineddata, are not offered: the provisioner hears only the new targets.)</li>
 *   <li><b>A deleted pool</b>'s agents stop without leaving (the nodes go with the pool), and its directories are
 *       removed.</li>
 *   <li><b>Closing</b> (the service stops) makes every agent leave, so that no node is left behind; an agent that
 *       crashed instead is cleaned up when the service starts again: each agent remembers its node in
 *       {@code node.json} and makes it leave before joining again. Pools that exist when the provisioner starts
 *       (a store kept from an earlier run) get their agents at once.</li>
 * </ul>
 *
 * <p>Every change runs on one thread of the provisioner's, in the order the service reported them, never on the
 * request thread that reported it (stopping agents takes seconds). {@code rebatch server} does not use it directly:
 * its {@link LocalNodeLeadership} makes one only in the instance that holds the store's lock for local nodes (one
 * instance of a PostgreSQL store at a time), and reports every pool's targets to it from the store.
 */
public final class LocalNodeProvisioner implements NodeProvisioner, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalNodeProvisioner.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

    private final String endpoint;
    /** Account name in lower case → its name as configured and its key. */
    private final Map<String, Credentials> accounts;
    private final Path nodesRoot;
    private final Consumer<NodeAgent.Builder> agentSettings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rebatch-local-nodes");
        thread.setDaemon(true);
        return thread;
    });
    /** Touched on the worker only; read through {@link #agents} as a snapshot. */
    private final Map<String, LocalPool> pools = new HashMap<>();
    private final Map<String, List<NodeAgent>> snapshot = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Credentials(String name, String key) {}

    /** One pool's agents by number. */
    private static final class LocalPool {
        final String account;
        final String poolId;
        final TreeMap<Integer, NodeAgent> agents = new TreeMap<>();

        LocalPool(String account, String poolId) {
            this.account = account;
            this.poolId = poolId;
        }
    }

    private LocalNodeProvisioner(String endpoint, Map<String, String> accountKeys, Path nodesRoot,
            Consumer<NodeAgent.Builder> agentSettings) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.nodesRoot = nodesRoot.toAbsolutePath().normalize();
        this.agentSettings = Objects.requireNonNull(agentSettings, "agentSettings");
        Map<String, Credentials> byName = new LinkedHashMap<>();
        accountKeys.forEach((name, key) -> byName.put(name.toLowerCase(Locale.ROOT), new Credentials(name, key)));
        this.accounts = Map.copyOf(byName);
    }

    /**
     * Starts the provisioner of a service: agents for the pools that already exist are started at once (in the
     * background), the others as the service reports targets.
     *
     * @param endpoint    where agents reach the service, {@code http://127.0.0.1:PORT}
     * @param accountKeys every account served, by name, with its Base64 key
     * @param nodesRoot   where the agents' directories go (the service's data directory + {@code nodes})
     */
    public static LocalNodeProvisioner start(String endpoint, Map<String, String> accountKeys, Path nodesRoot) {
        return start(endpoint, accountKeys, nodesRoot, agent -> { });
    }

    /** As {@link #start(String, Map, Path)} for one account. */
    public static LocalNodeProvisioner start(String endpoint, String accountName, String accountKey,
            Path nodesRoot) {
        return start(endpoint, Map.of(accountName, accountKey), nodesRoot);
    }

    /**
     * As {@link #start(String, Map, Path)}, with {@code agentSettings} applied to each agent's builder after the
     * provisioner's own settings (tests shorten the kill grace, say).
     */
    public static LocalNodeProvisioner start(String endpoint, Map<String, String> accountKeys, Path nodesRoot,
            Consumer<NodeAgent.Builder> agentSettings) {
        LocalNodeProvisioner provisioner = new LocalNodeProvisioner(endpoint, accountKeys, nodesRoot, agentSettings);
        provisioner.enqueue(provisioner::resumeExistingPools);
        return provisioner;
    }

    @Override
    public boolean provisions() {
        return true;
    }

    @Override
    public void targetsChanged(String account, String poolId, int targetDedicatedNodes, int targetLowPriorityNodes) {
        int target = Math.max(0, targetDedicatedNodes) + Math.max(0, targetLowPriorityNodes);
        enqueue(() -> resize(account, poolId, target));
    }

    @Override
    public void poolDeleted(String account, String poolId) {
        enqueue(() -> removePool(account, poolId));
    }

    /** The agents of a pool now (after the changes reported so far that have been made). */
    public List<NodeAgent> agents(String account, String poolId) {
        return snapshot.getOrDefault(key(account, poolId), List.of());
    }

    /** Waits until every change reported so far has been made (agents started or stopped). */
    public void awaitChanges(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            worker.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | RejectedExecutionException e) {
            // Nothing more will be made.
        }
    }

    /** Every agent leaves its pool (their tasks are requeued at once); waits for them, up to a minute. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            worker.submit(() -> {
                List<NodeAgent> all = new ArrayList<>();
                pools.values().forEach(pool -> all.addAll(pool.agents.values()));
                if (!all.isEmpty()) {
                    log.info("Stopping {} local node agent(s); their pools' tasks go back to the queue", all.size());
                }
                stopAll(all, true);
                pools.clear();
                snapshot.clear();
            }).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("The local node agents did not all stop: {}", e.toString());
        } finally {
            worker.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------- on the worker

    private void resumeExistingPools() {
        for (Credentials account : accounts.values()) {
            try (var listed = client(account).pools().list(ListOptions.ALL, RequestOptions.DEFAULTS)) {
                for (CloudPool pool : (Iterable<CloudPool>) listed::iterator) {
                    if (pool.state() == PoolState.ACTIVE) {
                        resize(account.name(), pool.id(), nonNegative(pool.targetDedicatedNodes())
                                + nonNegative(pool.targetLowPriorityNodes()));
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Cannot list the pools of account {} to start their local node agents: {}", account.name(),
                        e.toString());
            }
        }
    }

    private void resize(String account, String poolId, int target) {
        if (closed) {
            return;
        }
        Credentials credentials = accounts.get(account.toLowerCase(Locale.ROOT));
        if (credentials == null || !SAFE_NAME.matcher(account).matches() || !SAFE_NAME.matcher(poolId).matches()) {
            log.warn("No local node agents for pool {} of account {}: not an account of this service, or a name "
                    + "that cannot be a directory", poolId, account);
            return;
        }
        LocalPool pool = pools.computeIfAbsent(key(account, poolId), k -> new LocalPool(account, poolId));
        int have = pool.agents.size();
        if (target > have) {
            log.info("Starting {} local node agent(s) for pool {} ({} wanted)", target - have, poolId, target);
            for (int number = 0; pool.agents.size() < target; number++) {
                if (!pool.agents.containsKey(number)) {
                    startAgent(pool, number, credentials);
                    if (!pool.agents.containsKey(number)) {
                        break; // could not start: the next resize tries again
                    }
                }
            }
        } else if (target < have) {
            List<Map.Entry<Integer, NodeAgent>> leaving = new ArrayList<>(pool.agents.entrySet());
            // Idle ones first, then the highest numbers.
            leaving.sort(Comparator.<Map.Entry<Integer, NodeAgent>, Boolean>comparing(
                    entry -> !entry.getValue().heldAttempts().isEmpty())
                    .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()));
            List<NodeAgent> stopping = new ArrayList<>();
            for (Map.Entry<Integer, NodeAgent> entry : leaving.subList(0, have - target)) {
                pool.agents.remove(entry.getKey());
                stopping.add(entry.getValue());
            }
            log.info("Stopping {} local node agent(s) of pool {} ({} wanted); tasks they run are requeued",
                    stopping.size(), poolId, target);
            stopAll(stopping, true);
        }
        publish(pool);
    }

    private void startAgent(LocalPool pool, int number, Credentials credentials) {
        Path root = directory(pool).resolve(Integer.toString(number));
        NodeAgent.Builder builder = NodeAgent.builder(client(credentials), pool.poolId)
                .root(root)
                .hostname("local-" + pool.poolId + "-" + number)
                .filesServer("127.0.0.1", 0, "127.0.0.1")
                .registrationFile(root.resolve("node.json"))
                .agentVersion(LocalNodeLeadership.LOCAL_AGENT_VERSION);
        agentSettings.accept(builder);
        NodeAgent agent = builder.build();
        try {
            agent.start();
        } catch (UncheckedIOException cannotListen) {
            log.error("Cannot start local node agent {} of pool {}: {}", number, pool.poolId,
                    cannotListen.getMessage());
            return;
        }
        pool.agents.put(number, agent);
        agent.stopped().thenRun(() -> enqueue(() -> stoppedByItself(pool, number, agent)));
    }

    /**
     * An agent stopped without the provisioner asking (its node was removed, or something closed it): it is
     * forgotten, and the pool's next resize starts another.
     */
    private void stoppedByItself(LocalPool pool, int number, NodeAgent agent) {
        if (pool.agents.remove(number, agent)) {
            log.warn("Local node agent {} of pool {} stopped by itself; the pool's next resize replaces it", number,
                    pool.poolId);
            publish(pool);
        }
    }

    private void removePool(String account, String poolId) {
        LocalPool pool = pools.remove(key(account, poolId));
        snapshot.remove(key(account, poolId));
        if (pool == null) {
            return;
        }
        List<NodeAgent> agents = new ArrayList<>(pool.agents.values());
        pool.agents.clear();
        if (!agents.isEmpty()) {
            log.info("Pool {} is being deleted: stopping its {} local node agent(s)", poolId, agents.size());
        }
        stopAll(agents, false);
        try {
            FileTreeDeleter.deleteTree(directory(pool));
        } catch (IOException e) {
            log.warn("Cannot remove the directories of pool {}'s local nodes: {}", poolId, e.toString());
        }
    }

    /** Stops agents side by side; each ends its processes first, which may take its kill grace. */
    private static void stopAll(List<NodeAgent> agents, boolean leave) {
        List<Thread> stopping = new ArrayList<>();
        for (NodeAgent agent : agents) {
            stopping.add(Thread.ofVirtual().name("rebatch-local-node-stop").start(leave ? agent::leave
                    : agent::close));
        }
        for (Thread thread : stopping) {
            try {
                thread.join(CLOSE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void publish(LocalPool pool) {
        snapshot.put(key(pool.account, pool.poolId), List.copyOf(pool.agents.values()));
    }

    private Path directory(LocalPool pool) {
        return nodesRoot.resolve(pool.account.toLowerCase(Locale.ROOT)).resolve(pool.poolId.toLowerCase(Locale.ROOT));
    }

    /** A client per agent: each has its own retry handler, so that one agent's bad luck does not drain another's. */
    private BatchClient client(Credentials account) {
        return BatchClient.builder()
                .endpoint(endpoint)
                .sharedKey(account.name(), account.key())
                .httpClient(http)
                .retryPolicy(RetryPolicyProvider.exponentialRetry(Duration.ofMillis(250), 8))
                .attemptTimeout(Duration.ofSeconds(30))
                .build();
    }

    private void enqueue(Runnable change) {
        if (closed) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    change.run();
                } catch (RuntimeException e) {
                    log.error("Local node agents: a change failed", e);
                }
            });
        } catch (RejectedExecutionException stopped) {
            // Closed meanwhile.
        }
    }

    private static String key(String account, String poolId) {
        return account.toLowerCase(Locale.ROOT) + "/" + poolId.toLowerCase(Locale.ROOT);
    }

    private static int nonNegative(Integer value) {
        return value == null ? 0 : Math.max(0, value);
    }
}
