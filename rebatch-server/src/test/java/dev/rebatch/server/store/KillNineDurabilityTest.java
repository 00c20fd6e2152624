package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write the store acknowledged survives kill -9 of the service: a separate JVM inserts and acknowledges, is
 * killed with SIGKILL in the middle of its writes, and every acknowledged id must be there when the store is
 * opened again.
 */
class KillNineDurabilityTest {

    /** Enough acknowledged writes that the kill lands among many commits, few enough to stay fast. */
    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "H2"})
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyAcknowledgedInsertSurvivesKill9(String engine) throws Exception {
        Path dataDir = dir.resolve("data");
        Path stderr = dir.resolve("writer.err");
        Process writer = new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"),
                AcknowledgingWriter.class.getName(), engine, dataDir.toString())
                .redirectError(stderr.toFile())
                .start();

        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                acknowledged.add(ack(line));
            }
            assertThat(acknowledged).as("the writer died early; its stderr:%n%s", read(stderr))
                    .hasSize(ACKS_BEFORE_KILL);

            // SIGKILL while it is writing: no shutdown hooks, no close. (This also closes our end of its stdout,
            // so the acknowledgements checked are the ones read before the kill.)
            writer.destroyForcibly();
            assertThat(writer.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            writer.destroyForcibly();
        }

        try (BatchStore store = "embedded".equals(engine)
                ? BatchStores.open(null, dataDir)
                : BatchStores.openEmbedded(Dialect.valueOf(engine), dataDir)) {
            List<String> lost = acknowledged.stream()
                    .filter(id -> store.find(new ResourceKey("acct", ResourceKind.TASK, "job", id)).isEmpty())
                    .toList();
            assertThat(lost).as("acknowledged before kill -9 but missing afterwards (of %d)", acknowledged.size())
                    .isEmpty();
        }
    }

    private static String ack(String line) {
        assertThat(line).startsWith(AcknowledgingWriter.ACK);
        return line.substring(AcknowledgingWriter.ACK.length());
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }
}
