package dev.rebatch.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things live under the node root, as on a Batch node ("Files and directories in Azure Batch"; "Azure Batch
 * runtime environment variables"):
 *
 * <pre>
 * &lt;root&gt;/shared                                   AZ_BATCH_NODE_SHARED_DIR, read/write for every task on the node
 * &lt;root&gt;/startup                                  AZ_BATCH_NODE_STARTUP_DIR, the start task's directory
 * &lt;root&gt;/fsmounts                                 AZ_BATCH_NODE_MOUNTS_DIR
 * &lt;root&gt;/workitems/&lt;jobId&gt;/job-1/&lt;taskId&gt;        AZ_BATCH_TASK_DIR: stdout.txt, stderr.txt
 * &lt;root&gt;/workitems/&lt;jobId&gt;/job-1/&lt;taskId&gt;/wd     AZ_BATCH_TASK_WORKING_DIR
 * </pre>
 *
 * {@code job-1} is what Batch uses for a job that is not run by a job schedule; Rebatch has no job schedules yet.
 */
public record NodeLayout(Path root) {

    public static final String STDOUT = "stdout.txt";
    public static final String STDERR = "stderr.txt";
    public static final String WORKING_DIR = "wd";

    public NodeLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path shared() {
        return root.resolve("shared");
    }

    public Path startup() {
        return root.resolve("startup");
    }

    public Path mounts() {
        return root.resolve("fsmounts");
    }

    public Path workitems() {
        return root.resolve("workitems");
    }

    public Path jobDir(String jobId) {
        return workitems().resolve(jobId).resolve("job-1");
    }

    public Path taskDir(TaskKey task) {
        return jobDir(task.jobId()).resolve(task.taskId());
    }

    public Path workingDir(TaskKey task) {
        return taskDir(task).resolve(WORKING_DIR);
    }

    public Path stdout(TaskKey task) {
        return taskDir(task).resolve(STDOUT);
    }

    public Path stderr(TaskKey task) {
        return taskDir(task).resolve(STDERR);
    }

    /** Creates the node-wide directories (shared, startup, fsmounts, workitems) if they are missing. */
    public void createNodeDirectories() throws IOException {
        for (Path dir : new Path[] {shared(), startup(), mounts(), workitems()}) {
            Files.createDirectories(dir);
        }
    }
}
