package dev.rebatch.server.dispatch;

import static dev.rebatch.server.dispatch.NodeAgentProtocolTest.createPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.server.TestService;
import dev.rebatch.server.auth.SignedHttp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent may give up on a waiting lease call (it closes the connection): the call ends quietly at the end of its
 * wait, and the node's next call is served as usual.
 */
class AbandonedLeaseCallTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory(Clock.systemUTC(),
            new ExecutionSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(250)));
    static final SignedHttp http = service.http();

    @Test
    void aCallTheAgentAbandonedEndsQuietly() throws Exception {
        createPool(http, "abandon-pool", 1);
        FakeAgent agent = new FakeAgent(service.endpoint(), TestService.ACCOUNT, TestService.KEY);
        agent.register("abandon-pool", null);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> http.call("POST", "/rebatch/node-agent/v1/pools/abandon-pool/nodes/"
                    + agent.nodeId() + "/leases").query("api-version", null)
                    .body("{\"freeSlots\":0,\"waitMillis\":1000,\"running\":[]}")
                    .header("Content-Type", "application/json").header("x-rebatch-node-token", agent.token())
                    .timeout(Duration.ofMillis(200)).send()).hasRootCauseInstanceOf(
                            java.net.http.HttpTimeoutException.class);
            Thread.sleep(1500); // the abandoned call's wait ends meanwhile
        } finally {
            System.setErr(stderr);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("Exception", "WARN", "ERROR");
        assertThat(agent.poll(1, 0).path("node").path("state").asText()).isEqualTo("idle");
    }
}
