package dev.rebatch.server;

import dev.rebatch.server.auth.AccountConfigurationException;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.dispatch.ExecutionSettings;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.faults.FaultRules;
import dev.rebatch.server.faults.FaultRulesException;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.http.SharedKeyRequestAuthenticator;
import dev.rebatch.server.nodes.DeferredProvisioner;
import dev.rebatch.server.nodes.LocalNodeLeadership;
import dev.rebatch.server.nodes.NodeProvisioner;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import dev.rebatch.server.store.DataDirectoryInUseException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the service the way {@code rebatch server} runs it: accounts from the environment, fault rules from a file,
 * the embedded store or PostgreSQL, and the start banner. The command line itself is parsed by the caller (the
 * {@code rebatch} command in rebatch-cli, or {@link ServerMain}).
 */
public final class ServerLauncher {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8070;

    private ServerLauncher() {}

    /** Where the embedded store lives unless {@code --data} says otherwise: {@code ~/.rebatch/data}. */
    public static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".rebatch", "data");
    }

    /**
     * What to start.
     *
     * @param host       the address to listen on
     * @param port       the port, 0 for any free one
     * @param dataDir    the embedded store's directory (unused with {@code storeUrl})
     * @param storeUrl   a PostgreSQL JDBC URL, or {@code null} for the embedded store
     * @param faultsFile fault-injection rules (docs/fault-injection.md), or {@code null} for none
     */
    public record Settings(String host, int port, Path dataDir, String storeUrl, Path faultsFile) {

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(dataDir, "dataDir");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, was " + port);
            }
        }
    }

    /** The configuration cannot be used (accounts, fault rules): nothing was opened. The message says what to fix. */
    public static final class StartRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Makes what starts node agents for the service's pools, once the service listens (agents need its address).
     * A provisioner that is {@link AutoCloseable} is closed before the service when the service stops.
     *
     * <p>Anything but {@link #NONE} makes local nodes, which run in one instance of a store at a time: the service
     * is given a {@link LocalNodeLeadership}, which calls {@link #create} each time this instance takes the store's
     * lock for local nodes (and closes what it made when the lock is lost).
     */
    @FunctionalInterface
    public interface Provisioners {

        /** No agents: pools get the nodes that join by themselves. */
        Provisioners NONE = (endpoint, accounts, dataDir) -> NodeProvisioner.NONE;

        /**
         * @param endpoint where agents in this JVM reach the service ({@code http://127.0.0.1:PORT} when it listens
         *                 on every address)
         * @param accounts the accounts served, with their keys
         * @param dataDir  the service's data directory (agents may keep their own folders in it)
         */
        NodeProvisioner create(String endpoint, AccountRegistry accounts, Path dataDir);
    }

    /**
     * Opens the store and starts the service, with no node provisioner.
     *
     * @param environment where the accounts come from ({@code REBATCH_ACCOUNT_NAME}... see {@link AccountRegistry})
     * @throws StartRefusedException when the accounts or the fault rules are not usable
     */
    public static Running start(Settings settings, Map<String, String> environment) {
        return start(settings, environment, Provisioners.NONE);
    }

    /**
     * Opens the store and starts the service; {@code provisioners} makes the node provisioner once it listens, before
     * this method returns (so before any request can create a pool).
     *
     * @throws StartRefusedException when the accounts or the fault rules are not usable
     */
    public static Running start(Settings settings, Map<String, String> environment, Provisioners provisioners) {
        AccountRegistry accounts;
        FaultRules faultRules;
        try {
            accounts = AccountRegistry.fromEnvironment(environment);
            // Off unless asked for; a bad file stops the start rather than running without the faults it meant.
            faultRules = settings.faultsFile() == null ? FaultRules.none() : FaultRules.load(settings.faultsFile());
        } catch (AccountConfigurationException accountProblem) {
            throw new StartRefusedException(accountProblem.getMessage(), accountProblem);
        } catch (FaultRulesException faultsProblem) {
            throw new StartRefusedException("--faults: " + faultsProblem.getMessage(), faultsProblem);
        }
        BatchStore store;
        try {
            store = BatchStores.open(settings.storeUrl(), settings.dataDir());
        } catch (DataDirectoryInUseException inUse) {
            throw new StartRefusedException(inUse.getMessage(), inUse);
        }
        DeferredProvisioner deferred = new DeferredProvisioner();
        RebatchServer server;
        try {
            server = RebatchServer.start(settings.host(), settings.port(), store,
                    new SharedKeyRequestAuthenticator(accounts, Clock.systemUTC()), Clock.systemUTC(),
                    ServiceLimits.DEFAULTS, store::isSaturated, new FaultInjector(faultRules, Clock.systemUTC()),
                    ExecutionSettings.DEFAULTS, deferred);
        } catch (RuntimeException startFailed) {
            store.close();
            throw startFailed;
        }
        LocalNodeLeadership localNodes = null;
        try {
            if (provisioners != Provisioners.NONE) {
                String endpoint = localEndpoint(settings.host(), server.port());
                localNodes = LocalNodeLeadership.start(store,
                        BatchStores.instanceLock(settings.storeUrl(), settings.dataDir(), "local-nodes"),
                        () -> provisioners.create(endpoint, accounts, settings.dataDir()), server::removeLocalNodes,
                        LocalNodeLeadership.DEFAULT_CHECK_INTERVAL);
                localNodes.bindTo(server.metrics().registry());
                deferred.become(localNodes);
            }
        } catch (RuntimeException noProvisioner) {
            if (localNodes != null) {
                localNodes.close();
            }
            server.close();
            store.close();
            throw noProvisioner;
        }
        return new Running(settings, accounts, faultRules, store, server, deferred.delegate(), localNodes);
    }

    /** How a client in this JVM reaches a service listening on {@code host}: loopback for the wildcard addresses. */
    static String localEndpoint(String host, int port) {
        String reachable = switch (host) {
            case "", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0" -> "127.0.0.1";
            default -> host;
        };
        if (reachable.contains(":") && !reachable.startsWith("[")) {
            reachable = "[" + reachable + "]";
        }
        return "http://" + reachable + ":" + port;
    }

    /** A started service. {@link #close()} stops it and closes its store; closing twice does nothing. */
    public static final class Running implements AutoCloseable {

        private final Settings settings;
        private final AccountRegistry accounts;
        private final FaultRules faultRules;
        private final BatchStore store;
        private final RebatchServer server;
        private final NodeProvisioner provisioner;
        private final LocalNodeLeadership localNodes;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final CountDownLatch stopped = new CountDownLatch(1);

        private Running(Settings settings, AccountRegistry accounts, FaultRules faultRules, BatchStore store,
                RebatchServer server, NodeProvisioner provisioner, LocalNodeLeadership localNodes) {
            this.settings = settings;
            this.accounts = accounts;
            this.faultRules = faultRules;
            this.store = store;
            this.server = server;
            this.provisioner = provisioner;
            this.localNodes = localNodes;
        }

        /**
         * Which instance of the store runs its local node agents, and whether this one does now; empty with no
         * local nodes ({@link Provisioners#NONE}).
         */
        public Optional<LocalNodeLeadership> localNodes() {
            return Optional.ofNullable(localNodes);
        }

        /** What starts node agents for the pools ({@link NodeProvisioner#NONE} when nothing does). */
        public NodeProvisioner provisioner() {
            return provisioner;
        }

        /** The port it listens on (the one chosen when the settings said 0). */
        public int port() {
            return server.port();
        }

        /** Where it listens, the store, the account and where its key comes from, the faults when on. */
        public void printBanner(PrintWriter out) {
            out.println("Rebatch is serving the Azure Batch API at http://" + settings.host() + ":" + port());
            out.println("  store:    " + (settings.storeUrl() == null
                    ? "embedded, in " + settings.dataDir().toAbsolutePath()
                    : "PostgreSQL (" + settings.storeUrl().replaceAll("password=[^&]*", "password=***") + ")"));
            accounts.accounts().forEach(account -> out.println("  account:  " + account.name()));
            out.println("  key from: " + accounts.keySource());
            if (accounts.usesDevelopmentAccount()) {
                out.println("  key:      " + AccountRegistry.DEVELOPMENT_ACCOUNT_KEY);
            }
            if (!faultRules.rules().isEmpty()) {
                out.println("  FAULTS:   ON, " + faultRules.rules().size() + " rule(s) from " + settings.faultsFile()
                        + " (seed " + faultRules.seed() + "); see /rebatch/admin/faults and docs/fault-injection.md");
            }
            if (localNodes == null) {
                out.println("  nodes:    none started here; agents join pools with ./rebatch node --pool ID");
            } else if (localNodes.leading()) {
                out.println("  LOCAL NODES: on, started per pool's targetDedicatedNodes (in this process; "
                        + "--no-local-nodes to leave pools to agents that join with ./rebatch node)");
                out.println("             this instance runs them: it holds " + localNodes.lockDescription());
            } else {
                out.println("  LOCAL NODES: on, standby: another instance of this store runs them (it holds "
                        + localNodes.lockDescription() + "); this one takes over when that one stops, checking "
                        + "every " + localNodes.checkInterval().toMillis() + " ms");
            }
            out.println("Health: GET /health (no credentials). Stop with Ctrl+C.");
            out.flush();
        }

        /**
         * Serves until the JVM shuts down (Ctrl+C, SIGTERM) or the calling thread is interrupted, then closes the
         * service and its store.
         */
        public void awaitShutdown() throws InterruptedException {
            Thread hook = new Thread(this::close, "rebatch-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stopped.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run: it closes the service
                }
                close();
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    // The agents first, while the service can still hear them leave.
                    if (provisioner instanceof AutoCloseable agents) {
                        agents.close();
                    }
                } catch (Exception agentsFailed) {
                    System.err.println("Stopping the local node agents failed: " + agentsFailed);
                } finally {
                    try {
                        server.close();
                        store.close();
                    } finally {
                        stopped.countDown();
                    }
                }
            }
        }
    }
}
