package dev.rebatch.client.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BatchClient;
import dev.rebatch.retry.RetryHandler;
import dev.rebatch.retry.time.VirtualTimeSource;
import dev.rebatch.server.TestService;
import dev.rebatch.server.faults.FaultRules;
import dev.rebatch.server.http.AccountThrottle;
import dev.rebatch.server.http.LoadShedder;
import dev.rebatch.server.http.ServiceLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 10,000 creates, actions and bulk task adds through 20% injected faults of every kind: nothing acknowledged is
 * lost, nothing is created twice, and every failure is typed and says why. The waits between attempts are virtual
 * (how long the SDK waits is proven in the scripted-endpoint tests); attempt timeouts, hangs and the network are
 * real.
 */
class FaultSoakTest {

    private static final FaultRules TWENTY_PERCENT = FaultSchedule.everyKind(0.20, 20261125);

    /**
     * The service's own throttle is raised out of the way: with virtual waits the SDK does not really pause for
     * Retry-After, so the default per-account rate would add real 429s that the schedule did not ask for.
     */
    @RegisterExtension
    static final TestService SERVICE = TestService.inTemporaryDirectory(TWENTY_PERCENT, new ServiceLimits(
            new AccountThrottle.Rate(100_000, 100_000), AccountThrottle.DEFAULT_NODE_AGENT_RATE,
            LoadShedder.DEFAULT_MAX_IN_FLIGHT));

    @Test
    void tenThousandOperationsThroughTwentyPercentFaultsLoseAndDuplicateNothing() throws Exception {
        RetryHandler.Builder handler = RetryHandler.builder()
                // The virtual clock starts at the real time: Retry-After as an HTTP-date is read against it.
                .timeSource(new VirtualTimeSource(Instant.now()))
                .random(() -> new Random(7))
                .attemptTimeout(Duration.ofSeconds(1));
        RebatchSoakClient client = new RebatchSoakClient(SERVICE.endpoint(), TestService.ACCOUNT, TestService.KEY,
                handler);
        BatchClient checker = BatchClient.builder().endpoint(SERVICE.endpoint())
                .sharedKey(TestService.ACCOUNT, TestService.KEY).build();

        SoakReport report = SoakWorkload.tenThousand("soak").run(client, () -> SERVICE.faults().clear(), checker);

        System.out.println("Rebatch SDK fault soak: " + report.describe());
        assertThat(report.operations()).isGreaterThanOrEqualTo(9_000);
        assertThat(report.lost()).as("acknowledged but missing").isZero();
        assertThat(report.duplicates()).as("created twice or never asked for").isZero();
        assertThat(report.unexplained()).as("failures that do not say why").isZero();
        report.failureSamples().forEach(sample -> System.out.println("  " + sample));
        assertThat(SERVICE.faults().counter().total()).as("faults injected").isGreaterThan(1_000);
    }
}
