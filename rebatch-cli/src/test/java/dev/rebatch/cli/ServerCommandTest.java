package dev.rebatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {

    @Test
    void servesWithTheDevelopmentAccountAndStopsWhenInterrupted(@TempDir Path data) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Rebatch.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread server = new Thread(() -> exitCode.set(commandLine.execute("server", "--port", "0", "--data",
                data.toString())), "rebatch-server-command");
        server.start();
        try {
            Matcher banner = awaitBanner(out);
            String endpoint = banner.group(1);
            String text = out.toString();
            assertThat(text).contains("  store:    embedded, in " + data.toAbsolutePath(), "  account:  devaccount",
                    "  key from: built-in development key", "Health: GET /health",
                    "  LOCAL NODES: on, started per pool's targetDedicatedNodes");

            // A second service on the same data directory is refused, and the first one is left alone.
            Cli.Result second = Cli.run(Map.of(), "server", "--port", "0", "--data", data.toString());
            assertThat(second.exitCode()).isEqualTo(Rebatch.USAGE);
            assertThat(second.err()).startsWith("Cannot start: The data directory " + data.toAbsolutePath()
                    + " is in use by another Rebatch service (process " + ProcessHandle.current().pid() + ").");

            // No credentials given: the client commands use the same development account.
            Cli.Result created = Cli.run(Map.of("REBATCH_ENDPOINT", endpoint), "job", "create", "j", "--pool", "p");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            Cli.Result listed = Cli.run(Map.of("REBATCH_ENDPOINT", endpoint), "job", "list");
            assertThat(listed.out()).containsPattern("(?m)^j\\s+active\\s+p\\s");

            // A pool gets its nodes from agents in the server's process, with their files under the data directory.
            Map<String, String> env = Map.of("REBATCH_ENDPOINT", endpoint);
            assertThat(Cli.run(env, "pool", "create", "p", "--vm-size", "standard_d2s_v3", "--nodes", "1").exitCode())
                    .isZero();
            awaitOutput(() -> Cli.run(env, "node", "list", "p").out(), "(?m)^tvmps_\\S+\\s+idle\\s");
            assertThat(data.resolve("nodes/devaccount/p/0/node.json")).exists();
        } finally {
            server.interrupt();
            server.join(Duration.ofSeconds(30));
        }
        assertThat(server.isAlive()).isFalse();
        assertThat(exitCode.get()).isZero();
    }

    @Test
    void badFlagsAreUsageErrors(@TempDir Path data) {
        Cli.Result port = Cli.run(Map.of(), "server", "--port", "70000");
        assertThat(port.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(port.err()).contains("--port must be a number from 0 to 65535, was 70000.");

        Cli.Result accounts = Cli.run(Map.of("REBATCH_ACCOUNT_NAME", "only-a-name"), "server", "--port", "0",
                "--data", data.toString());
        assertThat(accounts.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(accounts.err()).startsWith("Cannot start: REBATCH_ACCOUNT_NAME and REBATCH_ACCOUNT_KEY must be set");

        Cli.Result faults = Cli.run(Map.of(), "server", "--port", "0", "--data", data.toString(),
                "--faults", data.resolve("missing.json").toString());
        assertThat(faults.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(faults.err()).startsWith("Cannot start: --faults: ");
    }

    @Test
    void withoutLocalNodesPoolsWaitForAgentsThatJoin(@TempDir Path data) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Rebatch.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        Thread server = new Thread(() -> commandLine.execute("server", "--port", "0", "--data", data.toString(),
                "--no-local-nodes"), "rebatch-server-command");
        server.start();
        try {
            String endpoint = awaitBanner(out).group(1);
            assertThat(out.toString()).contains("  nodes:    none started here; agents join pools with ./rebatch node")
                    .doesNotContain("LOCAL NODES");
            Map<String, String> env = Map.of("REBATCH_ENDPOINT", endpoint);
            assertThat(Cli.run(env, "pool", "create", "p", "--vm-size", "standard_d2s_v3", "--nodes", "1").exitCode())
                    .isZero();
            Thread.sleep(500);
            assertThat(Cli.run(env, "node", "list", "p").err()).endsWith("No nodes found in pool p.\n");
        } finally {
            server.interrupt();
            server.join(Duration.ofSeconds(30));
        }
        assertThat(server.isAlive()).isFalse();
    }

    private static void awaitOutput(java.util.function.Supplier<String> output, String regex)
            throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        Instant deadline = Instant.now().plusSeconds(30);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            last = output.get();
            if (pattern.matcher(last).find()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + regex + " in 30 s; last output: " + last);
    }

    private static Matcher awaitBanner(StringWriter out) throws InterruptedException {
        Pattern serving = Pattern.compile("Rebatch is serving the Azure Batch API at (http://127\\.0\\.0\\.1:\\d+)");
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Matcher matcher = serving.matcher(out.toString());
            if (matcher.find() && out.toString().contains("Health:")) {
                return matcher;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no banner in 30 s; output so far: " + out);
    }
}
