package dev.rebatch.node.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.node.MutableClock;
import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.files.TaskFileException;
import dev.rebatch.node.files.TaskFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionSweeperTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path root;
    private NodeLayout layout;
    private final MutableClock clock = new MutableClock(T0);
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private RetentionSweeper sweeper;
    private final TaskKey task = new TaskKey("job-1", "task-1");

    @BeforeEach
    void aNodeWithOneTask() throws Exception {
        layout = new NodeLayout(root);
        sweeper = new RetentionSweeper(layout, scheduler, clock);
        Files.createDirectories(layout.workingDir(task));
        Files.writeString(layout.stdout(task), "done\n");
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void aTaskDirectoryGoesWhenItsRetentionTimeHasPassed() {
        sweeper.taskCompleted(task, T0, Duration.ofDays(7));
        assertThat(sweeper.removalTime(task)).contains(T0.plus(Duration.ofDays(7)));

        clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(sweeper.sweep()).isEmpty();
        assertThat(layout.taskDir(task)).exists();
        assertThat(sweeper.isCleanedUp(task)).isFalse();

        clock.advance(Duration.ofSeconds(1));
        assertThat(sweeper.sweep()).containsExactly(task);
        assertThat(layout.taskDir(task)).doesNotExist();
        assertThat(layout.jobDir("job-1")).exists();
        assertThat(sweeper.isCleanedUp(task)).isTrue();
        assertThat(sweeper.removalTime(task)).isEmpty();
        assertThat(sweeper.sweep()).as("once is enough").isEmpty();
    }

    @Test
    void theFileApiThenAnswersTaskFilesCleanedup() {
        TaskFiles files = new TaskFiles(layout, sweeper::isCleanedUp);
        sweeper.taskCompleted(task, T0, Duration.ofHours(1));
        assertThat(files.list(task, false)).isNotEmpty();

        clock.advance(Duration.ofHours(1));
        sweeper.sweep();

        assertThatThrownBy(() -> files.list(task, true)).isInstanceOfSatisfying(TaskFileException.class,
                e -> assertThat(e.code()).isEqualTo(BatchErrorCode.TaskFilesCleanedup));
    }

    @Test
    void eachTaskKeepsItsOwnRetentionTime() throws Exception {
        TaskKey shortLived = new TaskKey("job-1", "short");
        Files.createDirectories(layout.workingDir(shortLived));
        sweeper.taskCompleted(task, T0, Duration.ofDays(7));
        sweeper.taskCompleted(shortLived, T0, Duration.ofMinutes(10));

        clock.advance(Duration.ofMinutes(10));

        assertThat(sweeper.sweep()).containsExactly(shortLived);
        assertThat(layout.taskDir(task)).exists();
    }

    @Test
    void aTaskThatRunsAgainIsNoLongerDueNorCleanedUp() {
        sweeper.taskCompleted(task, T0, Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        sweeper.sweep();
        assertThat(sweeper.isCleanedUp(task)).isTrue();

        sweeper.taskStarted(task);
        assertThat(sweeper.isCleanedUp(task)).isFalse();
        sweeper.taskCompleted(task, clock.instant(), Duration.ofMinutes(1));
        sweeper.taskStarted(task);
        clock.advance(Duration.ofDays(30));

        assertThat(sweeper.sweep()).as("a running task is never swept").isEmpty();
    }

    @Test
    void anUnlimitedRetentionNeverComesDue() {
        sweeper.taskCompleted(task, T0, Duration.ofDays(10675199));
        clock.advance(Duration.ofDays(365 * 100));

        assertThat(sweeper.sweep()).isEmpty();
    }

    @Test
    void theSharedSchedulerSweepsPeriodically() throws Exception {
        sweeper.taskCompleted(task, T0, Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));

        sweeper.start(Duration.ofMillis(20));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!sweeper.isCleanedUp(task) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        sweeper.stop();

        assertThat(sweeper.isCleanedUp(task)).isTrue();
        assertThat(layout.taskDir(task)).doesNotExist();
    }
}
