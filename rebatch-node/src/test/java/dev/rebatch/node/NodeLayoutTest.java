package dev.rebatch.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeLayoutTest {

    private final NodeLayout layout = new NodeLayout(Path.of("/mnt/batch"));

    @Test
    void directoriesAreWhereBatchPutsThem() {
        TaskKey task = new TaskKey("job-1", "task_7");

        assertThat(layout.shared()).isEqualTo(Path.of("/mnt/batch/shared"));
        assertThat(layout.startup()).isEqualTo(Path.of("/mnt/batch/startup"));
        assertThat(layout.taskDir(task)).isEqualTo(Path.of("/mnt/batch/workitems/job-1/job-1/task_7"));
        assertThat(layout.workingDir(task)).isEqualTo(Path.of("/mnt/batch/workitems/job-1/job-1/task_7/wd"));
        assertThat(layout.stdout(task)).isEqualTo(Path.of("/mnt/batch/workitems/job-1/job-1/task_7/stdout.txt"));
        assertThat(layout.stderr(task)).isEqualTo(Path.of("/mnt/batch/workitems/job-1/job-1/task_7/stderr.txt"));
    }

    @Test
    void idsThatCouldLeaveTheNodeDirectoriesAreRefused() {
        assertThatThrownBy(() -> new TaskKey("..", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskKey("job", "a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskKey("job", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskKey("job", "x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    }
}
