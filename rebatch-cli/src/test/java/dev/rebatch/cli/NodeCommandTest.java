package dev.rebatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.TestService;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rebatch node --pool ID}: this JVM joins a pool as a node, runs its tasks, and leaves when stopped. */
class NodeCommandTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final Map<String, String> env = Cli.environmentFor(service);

    @TempDir
    Path root;

    @Test
    void joinsAPoolRunsItsTasksAndLeavesWhenStopped() throws Exception {
        assertThat(Cli.run(env, "pool", "create", "cli-pool", "--vm-size", "standard_d2s_v3").exitCode()).isZero();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Rebatch.commandLine(env, new ByteArrayInputStream(new byte[0]));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread node = new Thread(() -> exitCode.set(commandLine.execute("node", "--pool", "cli-pool", "--root",
                root.toString(), "--slots", "1")), "rebatch-node-command");
        node.start();
        try {
            await("the node joined", () -> out.toString().contains("Running the pool's tasks"));
            assertThat(out.toString()).contains("Joined pool cli-pool at " + service.endpoint() + " as node tvmps_",
                    "  task slots: 1", "  directory:  " + root.toAbsolutePath(),
                    "  task files: http://127.0.0.1:");
            Cli.Result listed = Cli.run(env, "node", "list", "cli-pool");
            assertThat(listed.out()).containsPattern("(?m)^tvmps_\\S+\\s+idle\\s");

            assertThat(Cli.run(env, "job", "create", "cli-job", "--pool", "cli-pool").exitCode()).isZero();
            assertThat(Cli.run(env, "task", "create", "cli-job", "t1", "--command",
                    "/bin/sh -c 'echo ran $AZ_BATCH_TASK_ID'").exitCode()).isZero();
            await("the task completed", () -> Cli.run(env, "task", "show", "cli-job", "t1").out()
                    .matches("(?s).*state\\s+completed.*"));
            Cli.Result output = Cli.run(env, "task", "output", "cli-job", "t1");
            assertThat(output.out()).as(output.toString()).isEqualTo("ran t1\n");
        } finally {
            node.interrupt();
            node.join(Duration.ofSeconds(30));
        }
        assertThat(node.isAlive()).isFalse();
        assertThat(exitCode.get()).as(err.toString()).isZero();
        assertThat(Cli.run(env, "node", "list", "cli-pool").err()).isEqualTo("No nodes found in pool cli-pool.\n");
    }

    @Test
    void withoutAPoolOrWithBadFlagsItIsAUsageError() {
        Cli.Result bare = Cli.run(env, "node");
        assertThat(bare.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(bare.err()).contains("Give --pool ID to join a pool as a node, or a command: list, show.");

        Cli.Result slots = Cli.run(env, "node", "--pool", "p", "--slots", "0");
        assertThat(slots.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(slots.err()).contains("--slots must be from 1 to 256, was 0.");
    }

    @Test
    void aPoolThatDoesNotExistIsSaidPlainly() {
        Cli.Result missing = Cli.run(env, "node", "--pool", "no-such-pool", "--root", root.toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(Rebatch.SERVICE_REFUSED);
        assertThat(missing.err()).startsWith("Error: 404 PoolNotFound: ").contains("rebatch pool list");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited 60 s in vain: " + what);
            }
            Thread.sleep(100);
        }
    }
}
