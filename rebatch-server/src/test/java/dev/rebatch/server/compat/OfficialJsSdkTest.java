package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rebatch.server.TestService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official JavaScript client, {@code @azure/batch} 10.2.0 on Node.js, runs {@code src/test/js/smoke.mjs}
 * against the real service: jobs, tasks, task collections, task counts, terminate, delete and the error bodies.
 *
 * <p>The script needs {@code npm ci --prefix rebatch-server/src/test/js}. Without it the test is skipped with a
 * notice, unless {@code REBATCH_TEST_JS=required} (CI sets it), in which case it fails.
 */
class OfficialJsSdkTest {

    private static final Path PROJECT = Path.of("src", "test", "js").toAbsolutePath();
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final String INSTALL = "npm ci --prefix rebatch-server/src/test/js";

    @TempDir
    Path dataDir;

    @TempDir
    Path scratch;

    @Test
    void theOfficialJavaScriptClientRunsTheSmokeFlow() throws Exception {
        requireJsProject();

        try (TestService service = new TestService(dataDir)) {
            Path log = scratch.resolve("smoke.log");
            ProcessBuilder builder = new ProcessBuilder("node", "smoke.mjs")
                    .directory(PROJECT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("REBATCH_ENDPOINT", service.endpoint());
            builder.environment().put("REBATCH_ACCOUNT", TestService.ACCOUNT);
            builder.environment().put("REBATCH_KEY", TestService.KEY);
            builder.environment().put("REBATCH_SMOKE_TIMEOUT_MS", "60000");

            long started = System.nanoTime();
            Process node = builder.start();
            boolean finished = node.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                node.descendants().forEach(ProcessHandle::destroyForcibly);
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("[OfficialJsSdkTest] node smoke.mjs took %d ms:%n%s", millis, output);

            assertThat(finished).as("node smoke.mjs finished within %s; its output:%n%s", LIMIT, output).isTrue();
            assertThat(node.exitValue()).as("exit code of node smoke.mjs; its output:%n%s", output).isZero();
            assertThat(output).as("the script reports success").contains("PASS: all steps succeeded");
        }
    }

    /** Fails (REBATCH_TEST_JS=required) or skips with a notice when node or the installed client is missing. */
    private static void requireJsProject() {
        boolean required = "required".equalsIgnoreCase(System.getenv("REBATCH_TEST_JS"));
        String problem = null;
        if (!Files.isRegularFile(PROJECT.resolve("smoke.mjs"))) {
            problem = "the smoke script " + PROJECT.resolve("smoke.mjs") + " is missing";
        } else if (!Files.isDirectory(PROJECT.resolve("node_modules/@azure/batch"))) {
            problem = "the JavaScript client is not installed in " + PROJECT.resolve("node_modules")
                    + "; install it with: " + INSTALL;
        } else if (!nodeRuns()) {
            problem = "`node --version` does not run; install Node.js 20 and then: " + INSTALL;
        }
        if (problem == null) {
            return;
        }
        if (required) {
            fail("REBATCH_TEST_JS=required, but " + problem);
        }
        System.out.println("[OfficialJsSdkTest] SKIPPED: " + problem + " (set REBATCH_TEST_JS=required to fail instead)");
        Assumptions.abort(problem + " (set REBATCH_TEST_JS=required to fail instead)");
    }

    private static boolean nodeRuns() {
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!version.waitFor(20, TimeUnit.SECONDS)) {
                version.destroyForcibly();
                return false;
            }
            return version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
