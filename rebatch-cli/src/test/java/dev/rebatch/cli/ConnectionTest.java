package dev.rebatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.TestService;
import dev.rebatch.server.faults.FaultRules;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where the endpoint and credentials come from, and what the user sees when they are wrong. */
class ConnectionTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();

    @Test
    void credentialsFromTheEnvironment() {
        Cli.Result listed = Cli.run(Cli.environmentFor(service), "job", "list");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.err()).isEqualTo("No jobs found.\n");
    }

    @Test
    void optionsWinOverTheEnvironment() {
        Map<String, String> wrongEnvironment = Map.of("REBATCH_ENDPOINT", "http://127.0.0.1:1",
                "REBATCH_ACCOUNT_NAME", "someone", "REBATCH_ACCOUNT_KEY", key("not the key"));
        Cli.Result listed = Cli.run(wrongEnvironment, "pool", "list", "--endpoint", service.endpoint(),
                "--account-name", TestService.OTHER_ACCOUNT, "--account-key", TestService.OTHER_KEY);
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
    }

    @Test
    void aWrongKeyIsAuthenticationFailedWithWhatToCheck() {
        Map<String, String> environment = Map.of("REBATCH_ENDPOINT", service.endpoint(),
                "REBATCH_ACCOUNT_NAME", TestService.ACCOUNT, "REBATCH_ACCOUNT_KEY", key("a key that is wrong"));
        Cli.Result refused = Cli.run(environment, "job", "list");
        assertThat(refused.exitCode()).isEqualTo(Rebatch.SERVICE_REFUSED);
        assertThat(refused.out()).isEmpty();
        String[] lines = refused.err().split("\n");
        assertThat(lines[0]).startsWith("Error: 403 AuthenticationFailed: Server failed to authenticate the request.")
                .contains("AuthenticationErrorDetail: ");
        assertThat(lines[1]).contains("REBATCH_ACCOUNT_KEY");
        assertThat(refused.err()).doesNotContain("\tat ");
    }

    @Test
    void theDevelopmentAccountByDefaultSaidOnceOnStderr() {
        // This service does not serve the development account: the hint says to set the variables.
        Cli.Result refused = Cli.run(Map.of("REBATCH_ENDPOINT", service.endpoint()), "job", "list");
        assertThat(refused.exitCode()).isEqualTo(Rebatch.SERVICE_REFUSED);
        assertThat(refused.err()).startsWith("rebatch: using the development account devaccount");
        assertThat(refused.err().split("using the development account", -1)).hasSize(2);
        assertThat(refused.err()).contains("403 AuthenticationFailed")
                .contains("does not accept the development account: set REBATCH_ACCOUNT_NAME and REBATCH_ACCOUNT_KEY");
    }

    @Test
    void anUnreachableServiceExits3WithTheHintAndTheAttempts() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Cli.Result unreachable = Cli.run(Map.of(), "job", "list", "--endpoint", "http://127.0.0.1:" + closedPort,
                "--retries", "1");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(Rebatch.UNREACHABLE);
        assertThat(unreachable.err())
                .contains("rebatch: using the development account devaccount")
                .contains("Error: cannot reach the service at http://127.0.0.1:" + closedPort + ": connection refused")
                .contains("is the service running? start it with: ./rebatch server")
                .contains("after 2 attempts: 1: NETWORK_NOT_SENT")
                .doesNotContain("\tat ");
    }

    @Test
    void retriesAreListedWhenTheServiceKeptFailing() {
        FaultRules rules = FaultRules.parse("""
                {"seed": 1, "rules": [{"operation": "Pool_Get", "everyNth": 1, "fault": {"type": "internal-error"}}]}
                """.getBytes(StandardCharsets.UTF_8));
        try (TestService failing = TestService.inTemporaryDirectory(rules)) {
            Cli.Result failed = Cli.run(Cli.environmentFor(failing), "pool", "show", "any", "--retries", "2");
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(Rebatch.SERVICE_REFUSED);
            assertThat(failed.err()).startsWith("Error: 500 InternalError")
                    .contains("after 3 attempts: 1: SERVER 500 InternalError, waited ")
                    .contains("3: SERVER 500 InternalError\n");
        }
    }

    @Test
    void unusableCredentialsAreUsageErrors() {
        Cli.Result nameOnly = Cli.run(Map.of("REBATCH_ACCOUNT_NAME", "someone"), "job", "list");
        assertThat(nameOnly.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(nameOnly.err()).contains("give --account-key or set REBATCH_ACCOUNT_KEY");

        Cli.Result notBase64 = Cli.run(Map.of(), "job", "list", "--account-name", "a", "--account-key", "not base64!");
        assertThat(notBase64.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(notBase64.err()).contains("is not Base64");

        Cli.Result badEndpoint = Cli.run(Map.of(), "job", "list", "--endpoint", "no-scheme");
        assertThat(badEndpoint.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(badEndpoint.err()).contains("absolute http(s) URL");
    }

    private static String key(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
