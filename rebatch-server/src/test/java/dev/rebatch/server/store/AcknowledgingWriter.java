package dev.rebatch.server.store;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link KillNineDurabilityTest}: inserts tasks one by one, forever, and prints each id
 * only after {@code insert} returned, so every printed id is an acknowledged write. It is killed, never stopped.
 *
 * <p>Arguments: the engine ("embedded" for the default, or a {@link Dialect} name) and the data directory.
 */
public final class AcknowledgingWriter {

    static final String ACK = "ACK ";

    public static void main(String[] args) {
        Path dataDir = Path.of(args[1]);
        // Logging goes to stderr; stdout carries only acknowledgements, flushed one by one.
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (BatchStore store = "embedded".equals(args[0])
                ? BatchStores.open(null, dataDir)
                : BatchStores.openEmbedded(Dialect.valueOf(args[0]), dataDir)) {
            for (long i = 0; ; i++) {
                String id = "Task-" + i;
                store.insert(Resources.task("acct", "job", id));
                out.println(ACK + id);
                out.flush();
            }
        }
    }
}
