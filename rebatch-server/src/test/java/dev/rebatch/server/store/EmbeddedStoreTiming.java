package dev.rebatch.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A timing harness run by hand, not a test: which embedded database is faster for what the service does most
 * (adding tasks in chunks of 100, reading one back), each configured so that every commit is durable.
 *
 * <pre>
 * ./mvnw -q -pl rebatch-server -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * cd rebatch-server
 * java -cp "$(cat target/test-classpath.txt):target/classes:target/test-classes" \
 *     -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
 *     dev.rebatch.server.store.EmbeddedStoreTiming target/timing [rounds]
 * </pre>
 * Results and the choice they led to: docs/storage.md.
 */
public final class EmbeddedStoreTiming {

    private static final int TASKS = 20_000;
    private static final int CHUNK = 100;
    private static final int GETS = 20_000;

    public static void main(String[] args) throws Exception {
        Path root = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/store-timing"));
        // Engines alternate within each round, so that noise from a shared machine hits both alike.
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("%-8s %5s %14s %14s %12s%n", "engine", "round", "insertAll/s", "gets/s", "list 1000 ms");
        for (int round = 1; round <= rounds; round++) {
            for (Dialect engine : List.of(Dialect.H2, Dialect.SQLITE)) {
                Path dir = Files.createTempDirectory(root, engine.name().toLowerCase() + "-");
                try (JdbcBatchStore store = BatchStores.openEmbedded(engine, dir)) {
                    run(engine, round, store);
                }
            }
        }
    }

    private static void run(Dialect engine, int round, BatchStore store) {
        // Warm up the JIT and the connection pool on another job, then measure a fresh one.
        insertJob(store, "warmup", 5_000);
        long start = System.nanoTime();
        insertJob(store, "job", TASKS);
        double insertSeconds = (System.nanoTime() - start) / 1e9;

        Random random = new Random(42);
        start = System.nanoTime();
        for (int i = 0; i < GETS; i++) {
            String id = "Task-" + random.nextInt(TASKS);
            if (store.find(new ResourceKey("acct", ResourceKind.TASK, "job", id)).isEmpty()) {
                throw new IllegalStateException("missing " + id);
            }
        }
        double getSeconds = (System.nanoTime() - start) / 1e9;

        start = System.nanoTime();
        Page page = store.list(new ListQuery("acct", ResourceKind.TASK, "job", SqlCondition.ALWAYS, null, 1000));
        double listMillis = (System.nanoTime() - start) / 1e6;
        if (page.items().size() != 1000) {
            throw new IllegalStateException("short page");
        }
        System.out.printf("%-8s %5d %14.0f %14.0f %12.1f%n", engine, round, TASKS / insertSeconds, GETS / getSeconds,
                listMillis);
    }

    private static void insertJob(BatchStore store, String job, int count) {
        List<StoredResource> chunk = new ArrayList<>(CHUNK);
        for (int i = 0; i < count; i++) {
            chunk.add(Resources.task("acct", job, "Task-" + i));
            if (chunk.size() == CHUNK) {
                store.insertAll(chunk);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            store.insertAll(chunk);
        }
    }
}
