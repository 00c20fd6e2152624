package dev.rebatch.server;

import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.auth.BatchSharedKeyCredentials;
import dev.rebatch.server.auth.Account;
import dev.rebatch.server.auth.AccountRegistry;
import dev.rebatch.server.auth.SignedHttp;
import dev.rebatch.server.dispatch.ExecutionSettings;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.faults.FaultRules;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.http.SharedKeyRequestAuthenticator;
import dev.rebatch.server.nodes.NodeProvisioner;
import dev.rebatch.server.store.BatchStore;
import dev.rebatch.server.store.BatchStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real service on an ephemeral port with the embedded store, for one test class. Register it as a static
 * extension and JUnit closes it (and removes its temporary directory) after the class:
 * <pre>{@code @RegisterExtension static final TestService service = TestService.inTemporaryDirectory();}</pre>
 */
public final class TestService implements AutoCloseable, AfterAllCallback {

    public static final String ACCOUNT = "testaccount";
    public static final String KEY = Base64.getEncoder().encodeToString("test-account-key-0123456789abcdef".getBytes());
    public static final String OTHER_ACCOUNT = "otheraccount";
    public static final String OTHER_KEY = Base64.getEncoder().encodeToString("other-account-key-0123456789abcd".getBytes());

    private final BatchStore store;
    private final RebatchServer server;
    private final FaultInjector faults;
    private Path ownDirectory;

    /** A service over a fresh temporary directory, removed when the service closes. */
    public static TestService inTemporaryDirectory() {
        return inTemporaryDirectory(FaultRules.none());
    }

    /** As {@link #inTemporaryDirectory()}, injecting faults by {@code rules} (changeable later via {@link #faults()}). */
    public static TestService inTemporaryDirectory(FaultRules rules) {
        return inTemporaryDirectory(rules, ServiceLimits.DEFAULTS);
    }

    /** As {@link #inTemporaryDirectory(FaultRules)}, with the given throttling and load-shedding limits. */
    public static TestService inTemporaryDirectory(FaultRules rules, ServiceLimits limits) {
        try {
            Path directory = Files.createTempDirectory("rebatch-test-");
            TestService service = new TestService(BatchStores.open(null, directory), limits,
                    new FaultInjector(rules, Clock.systemUTC()));
            service.ownDirectory = directory;
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestService(Path dataDir) {
        this(BatchStores.open(null, dataDir), ServiceLimits.DEFAULTS);
    }

    /** The service over {@code store} (closed with the service) with the given protective limits. */
    public TestService(BatchStore store, ServiceLimits limits) {
        this(store, limits, FaultInjector.off());
    }

    /** The service over {@code store} (closed with the service) with the given limits and fault injector. */
    public TestService(BatchStore store, ServiceLimits limits, FaultInjector faults) {
        this(store, limits, faults, Clock.systemUTC(), ExecutionSettings.DEFAULTS);
    }

    /**
     * The service over {@code store} with its own clock and execution timing: on the embedded store, leases expire
     * by {@code clock}, so a test moves it forward instead of waiting. Requests are still signed and checked with
     * the real time.
     */
    public TestService(BatchStore store, ServiceLimits limits, FaultInjector faults, Clock clock,
            ExecutionSettings execution) {
        this.store = store;
        this.faults = faults;
        AccountRegistry accounts = AccountRegistry.of(List.of(
                Account.fromBase64(ACCOUNT, KEY), Account.fromBase64(OTHER_ACCOUNT, OTHER_KEY)));
        this.server = RebatchServer.start("127.0.0.1", 0, store,
                new SharedKeyRequestAuthenticator(accounts, Clock.systemUTC()), clock, limits,
                store::isSaturated, faults, execution, NodeProvisioner.NONE);
    }

    /** A service over a fresh temporary directory with its own clock and execution timing (see above). */
    public static TestService inTemporaryDirectory(Clock clock, ExecutionSettings execution) {
        try {
            Path directory = Files.createTempDirectory("rebatch-test-");
            TestService service = new TestService(BatchStores.open(null, directory), ServiceLimits.DEFAULTS,
                    FaultInjector.off(), clock, execution);
            service.ownDirectory = directory;
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service's fault injector: replace or clear its rules, read its counters. */
    public FaultInjector faults() {
        return faults;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The store behind the service, for tests that put a resource in a state no request can reach yet. */
    public BatchStore store() {
        return store;
    }

    /** Plain HTTP to the service, signed for the test account. */
    public SignedHttp http() {
        return new SignedHttp(endpoint(), ACCOUNT, KEY);
    }

    /** The official Java SDK (com.microsoft.azure:azure-batch 11.2.0) pointed at this service. */
    public BatchClient officialClient() {
        return BatchClient.open(new BatchSharedKeyCredentials(endpoint(), ACCOUNT, KEY));
    }

    public BatchClient officialClient(String account, String key) {
        return BatchClient.open(new BatchSharedKeyCredentials(endpoint(), account, key));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.close();
        store.close();
        if (ownDirectory != null) {
            try (Stream<Path> files = Files.walk(ownDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
