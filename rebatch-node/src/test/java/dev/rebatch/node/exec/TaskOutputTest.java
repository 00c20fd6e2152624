package dev.rebatch.node.exec;

import static dev.rebatch.node.exec.ProcessTests.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.node.NodeContext;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.files.ByteRange;
import dev.rebatch.node.files.FileContent;
import dev.rebatch.node.files.TaskFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running task's stdout.txt, read through the file API while it grows. */
class TaskOutputTest {

    private static ScheduledThreadPoolExecutor scheduler;

    @TempDir
    Path root;
    private final TaskKey task = new TaskKey("job-1", "writer");

    @BeforeAll
    static void startScheduler() {
        scheduler = ProcessTests.scheduler();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void stdoutCanBeReadByRangesWhileItGrows() throws Exception {
        NodeContext node = new NodeContext("acct", "https://acct.example.com", "pool", "node", root, true);
        TaskLauncher launcher = TaskLauncher.builder(node, scheduler).build();
        TaskFiles files = new TaskFiles(node.layout(), ignored -> false);
        RunningTask running = launcher.launch(TaskSpec.of(task,
                "/bin/sh -c 'i=0; while true; do echo line$i; i=$((i+1)); sleep 0.05; done'"));

        long firstSize = awaitSize(files, 6 * 3);
        assertThat(read(files, "bytes=0-5")).isEqualTo("line0\n");
        assertThat(read(files, "bytes=6-11")).isEqualTo("line1\n");
        long laterSize = awaitSize(files, firstSize + 6 * 3);
        assertThat(laterSize).isGreaterThan(firstSize);
        // The last bytes of whatever the file holds by now: lines are written whole, so it ends a line.
        assertThat(read(files, "bytes=-6")).hasSize(6).endsWith("\n");
        assertThat(files.properties(task, "stdout.txt").properties().contentLength()).isGreaterThanOrEqualTo(laterSize);

        running.cancel(CancelReason.TERMINATE_TASK);
        await(running);
        String all = read(files, null);
        assertThat(all).startsWith("line0\nline1\nline2\n");
    }

    private String read(TaskFiles files, String range) throws Exception {
        try (FileContent content = files.read(task, "stdout.txt", range == null ? null : ByteRange.parse(range))) {
            return new String(content.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Waits until stdout.txt has at least {@code bytes} bytes; returns its size then. */
    private long awaitSize(TaskFiles files, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + ProcessTests.PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            long size = files.properties(task, "stdout.txt").properties().contentLength();
            if (size >= bytes) {
                return size;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("stdout.txt never reached " + bytes + " bytes");
    }
}
