package dev.rebatch.server.dispatch;

import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.TestService;
import dev.rebatch.server.faults.FaultInjector;
import dev.rebatch.server.http.AccountThrottle;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.store.BatchStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node agents are admitted on their own terms: their own rate allowance, apart from the account's clients, and a
 * lease call that waits for work no longer counts against the cap on requests in flight.
 */
class NodeAgentAdmissionTest {

    @TempDir
    Path dataDir;

    private TestService service(ServiceLimits limits) {
        return new TestService(BatchStores.open(null, dataDir), limits, FaultInjector.off(), Clock.systemUTC(),
                ExecutionSettings.DEFAULTS);
    }

    @Test
    void nodeAgentsHaveAnAllowanceOfTheirOwn() {
        ServiceLimits limits = new ServiceLimits(new AccountThrottle.Rate(0.001, 2),
                AccountThrottle.DEFAULT_NODE_AGENT_RATE, 64);
        try (TestService service = service(limits)) {
            createPool(service.http(), "p", 1); // the client's first permit
            assertThat(service.http().send("GET", "/pools/p", null).statusCode()).isEqualTo(200);
            assertThat(service.http().send("GET", "/pools/p", null).statusCode()).as("client allowance spent")
                    .isEqualTo(429);

            FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
            agent.register("p", null);
            for (int i = 0; i < 5; i++) {
                assertThat(agent.pollRaw(null, 0, agent.token()).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void waitingLeaseCallsDoNotCountAsRequestsInFlight() throws Exception {
        int cap = 3;
        try (TestService service = service(new ServiceLimits(AccountThrottle.DEFAULT_CLIENT_RATE,
                AccountThrottle.DEFAULT_NODE_AGENT_RATE, cap))) {
            createPool(service.http(), "p", 1);
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < cap * 2; i++) {
                FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
                agent.register("p", null);
                waiting.add(CompletableFuture.supplyAsync(() -> agent.pollRaw(null, 3_000, agent.token())));
                Thread.sleep(100); // one at a time, so each is admitted before the next arrives
            }
            Thread.sleep(300);

            assertThat(service.http().send("GET", "/pools/p", null).statusCode())
                    .as("%d lease calls wait, the cap is %d", cap * 2, cap).isEqualTo(200);
            for (CompletableFuture<HttpResponse<String>> call : waiting) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
        }
    }
}
