package dev.rebatch.cli.nodes;

import dev.rebatch.client.BatchClient;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.server.RebatchServer;
import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.Account;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.dispatch.ExecutionSettings;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.faults.FaultRules;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.http.SharedKeyRequestAuthenticator;
import dev.rebatch.server.nodes.DeferredProvisioner;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The service as {@code rebatch server} runs it by default, for tests: the embedded store in a directory, an
 * ephemeral port, and a {@link LocalNodeProvisioner} that starts node agents in this JVM per pool; with execution
 * timing and fault rules of the test's choosing. The account is {@link TestService#ACCOUNT}.
 */
final class LocalNodesService implements AutoCloseable {

    private final BatchStore store;
    private final RebatchServer server;
    private final LocalNodeProvisioner provisioner;
    private final FaultInjector faults;
    private final Path directory;

    private LocalNodesService(BatchStore store, RebatchServer server, LocalNodeProvisioner provisioner,
            FaultInjector faults, Path directory) {
        this.store = store;
        this.server = server;
        this.provisioner = provisioner;
        this.faults = faults;
        this.directory = directory;
    }

    static LocalNodesService start(Path directory, ExecutionSettings execution, FaultRules rules) {
        BatchStore store = BatchStores.open(null, directory.resolve("data"));
        AccountRegistry accounts = AccountRegistry.of(List.of(Account.fromBase64(TestService.ACCOUNT,
                TestService.KEY)));
        FaultInjector faults = new FaultInjector(rules, Clock.systemUTC());
        DeferredProvisioner deferred = new DeferredProvisioner();
        RebatchServer server = RebatchServer.start("127.0.0.1", 0, store,
                new SharedKeyRequestAuthenticator(accounts, Clock.systemUTC()), Clock.systemUTC(),
                ServiceLimits.DEFAULTS, store::isSaturated, faults, execution, deferred);
        LocalNodeProvisioner provisioner = LocalNodeProvisioner.start("http://127.0.0.1:" + server.port(),
                Map.of(TestService.ACCOUNT, TestService.KEY), directory.resolve("nodes"),
                agent -> agent.killGrace(Duration.ofSeconds(1)));
        deferred.become(provisioner);
        return new LocalNodesService(store, server, provisioner, faults, directory);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    LocalNodeProvisioner provisioner() {
        return provisioner;
    }

    FaultInjector faults() {
        return faults;
    }

    Path nodesRoot() {
        return directory.resolve("nodes");
    }

    /** A client of the test account that retries briefly. */
    BatchClient client() {
        return BatchClient.builder().endpoint(endpoint()).sharedKey(TestService.ACCOUNT, TestService.KEY)
                .retryPolicy(RetryPolicyProvider.exponentialRetry(Duration.ofMillis(100), 6))
                .attemptTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public void close() {
        try {
            provisioner.close();
        } finally {
            server.close();
            store.close();
        }
    }
}
