package dev.rebatch.cli.run;

import dev.rebatch.server.RebatchServer;
import dev.rebatch.server.auth.Account;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.dispatch.ExecutionSettings;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.http.SharedKeyRequestAuthenticator;
import dev.rebatch.server.nodes.DeferredProvisioner;
import dev.rebatch.server.nodes.NodeProvisioner;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The service inside {@code rebatch run} when no endpoint is given: {@link RebatchServer} over the embedded store in
 * a directory, on 127.0.0.1 and a free port, serving one account. Node agents for its pools come from the
 * {@link NodeProvisioner} the caller's factory makes (see {@link #start}).
 */
public final class EmbeddedService implements AutoCloseable {

    /** The address it listens on: this machine only. */
    public static final String HOST = "127.0.0.1";

    /**
     * What node agents need to reach the service and where they may keep their files.
     *
     * @param endpoint    the service's URL, {@code http://127.0.0.1:PORT}
     * @param accountName the account the agents sign as
     * @param accountKey  its key, Base64
     * @param dataDir     the service's directory (the store is in it; agents may make their own folders there)
     */
    public record Site(String endpoint, String accountName, String accountKey, Path dataDir) {

        @Override
        public String toString() {
            return "Site[" + endpoint + ", " + accountName + ", " + dataDir + "]"; // never the key
        }
    }

    private final Site site;
    private final BatchStore store;
    private final RebatchServer server;
    private final NodeProvisioner provisioner;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedService(Site site, BatchStore store, RebatchServer server, NodeProvisioner provisioner) {
        this.site = site;
        this.store = store;
        this.server = server;
        this.provisioner = provisioner;
    }

    /**
     * Opens the embedded store in {@code dataDir} and starts the service on a free port of 127.0.0.1.
     *
     * <p>{@code provisioners} makes the provisioner that starts node agents for the service's pools. It is called
     * once the service listens, so the {@link Site} it gets is complete; the provisioner is in place before this
     * method returns, so before any pool can be created. A provisioner that is {@link AutoCloseable} is closed first
     * when the service closes. {@code site -> NodeProvisioner.NONE} starts no agents: pools stay without nodes.
     *
     * @param accountName the one account served (and the key it is signed with, Base64)
     */
    public static EmbeddedService start(Path dataDir, String accountName, String accountKey,
            Function<Site, NodeProvisioner> provisioners) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(provisioners, "provisioners");
        AccountRegistry accounts = AccountRegistry.of(List.of(Account.fromBase64(accountName, accountKey)));
        BatchStore store = BatchStores.open(null, dataDir);
        DeferredProvisioner late = new DeferredProvisioner();
        RebatchServer server;
        try {
            server = RebatchServer.start(HOST, 0, store, new SharedKeyRequestAuthenticator(accounts, Clock.systemUTC()),
                    Clock.systemUTC(), ServiceLimits.DEFAULTS, store::isSaturated, FaultInjector.off(),
                    ExecutionSettings.DEFAULTS, late);
        } catch (RuntimeException startFailed) {
            store.close();
            throw startFailed;
        }
        Site site = new Site("http://" + HOST + ":" + server.port(), accountName, accountKey, dataDir);
        NodeProvisioner provisioner;
        try {
            provisioner = Objects.requireNonNull(provisioners.apply(site), "the provisioner");
        } catch (RuntimeException noProvisioner) {
            server.close();
            store.close();
            throw noProvisioner;
        }
        late.become(provisioner);
        return new EmbeddedService(site, store, server, provisioner);
    }

    public Site site() {
        return site;
    }

    public String endpoint() {
        return site.endpoint();
    }

    /** Stops the node agents (a closeable provisioner), then the service, then closes the store; once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (provisioner instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception agentsFailed) {
            throw new IllegalStateException("stopping the node agents failed: " + agentsFailed.getMessage(),
                    agentsFailed);
        } finally {
            try {
                server.close();
            } finally {
                store.close();
            }
        }
    }
}
