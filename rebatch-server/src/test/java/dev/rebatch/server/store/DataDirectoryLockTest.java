package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One service at a time per data directory, and a dead one never leaves it locked. */
class DataDirectoryLockTest {

    @TempDir
    Path dataDir;

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstIsClosed() {
        ResourceKey key = ResourceKey.topLevel("acct", ResourceKind.JOB, "job-1");
        try (BatchStore first = BatchStores.open(null, dataDir)) {
            first.insert(new StoredResource(key, "active", "{}", 1, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, null,
                    null, null));

            assertThatThrownBy(() -> BatchStores.open(null, dataDir))
                    .isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessageContaining(dataDir.toAbsolutePath().toString())
                    .hasMessageContaining("in use by another Rebatch service (process "
                            + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("--data DIR");
            assertThat(first.find(key)).as("the first store still works").isPresent();
        }
        try (BatchStore again = BatchStores.open(null, dataDir)) {
            assertThat(again.find(key)).isPresent();
        }
    }

    @Test
    void aServiceKilledWithTheDirectoryOpenLeavesItFree() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DataDirectoryHolder.class.getName(), dataDir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(
                    new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null && !line.equals(DataDirectoryHolder.OPEN)) {
                // The child's start-up logging.
            }
            assertThat(line).as("the child opened the store").isEqualTo(DataDirectoryHolder.OPEN);

            assertThatThrownBy(() -> BatchStores.open(null, dataDir))
                    .isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessageContaining("(process " + holder.pid() + ")");

            holder.destroyForcibly(); // SIGKILL: the store is never closed
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
            try (BatchStore after = BatchStores.open(null, dataDir)) {
                assertThat(after.find(ResourceKey.topLevel("acct", ResourceKind.JOB, "job-1"))).isEmpty();
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    /** A process that opens the embedded store in the directory it is given, says so, and waits to be killed. */
    public static final class DataDirectoryHolder {

        static final String OPEN = "store open";

        public static void main(String[] args) throws Exception {
            BatchStore store = BatchStores.open(null, Path.of(args[0]));
            System.out.println(OPEN);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            store.close();
        }
    }
}
