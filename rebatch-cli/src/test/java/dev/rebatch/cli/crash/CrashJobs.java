package dev.rebatch.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.ListOptions;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.WaitOptions;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskExecutionResult;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** What the crash tests share: the client, tasks that record every run, and reading the outcome back. */
final class CrashJobs {

    private CrashJobs() {}

    /** A client of the test account that keeps trying for a while (a service may be starting or busy). */
    static BatchClient client(String endpoint) {
        return BatchClient.builder()
                .endpoint(endpoint)
                .sharedKey(ChildJvm.ACCOUNT, ChildJvm.KEY)
                .retryPolicy(RetryPolicyProvider.exponentialRetry(Duration.ofMillis(250), 8))
                .attemptTimeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * {@code count} tasks {@code <prefix>00000...}, each appending its id to {@code runs} when it runs, then sleeping
     * {@code sleep} seconds while the file {@code slow} exists (a test makes the tasks around a kill slow, so that
     * many are in flight then, and the others fast). An append of a line this short is atomic, so the file holds one
     * line per run, however many run at once: an id found twice ran twice. ({@code [} is a builtin of the shell: a
     * fast task starts one process, a slow one two.)
     */
    static List<TaskSpec> recordingTasks(String prefix, int count, Path runs, Path slow, String sleep) {
        List<TaskSpec> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String command = "/bin/sh -c 'echo $AZ_BATCH_TASK_ID >> " + runs + "; if [ -e " + slow + " ]; then sleep "
                    + sleep + "; fi'";
            tasks.add(TaskSpec.of(String.format("%s%05d", prefix, i), command));
        }
        return tasks;
    }

    /** The tasks of the job that are running now, with the node each runs on. */
    static Map<String, String> running(BatchClient batch, String jobId) {
        return batch.tasks().list(jobId, ListOptions.filter("state eq 'running'").withSelect("id,nodeInfo"),
                        RequestOptions.DEFAULTS)
                .collect(Collectors.toMap(CloudTask::id,
                        task -> task.nodeInfo() == null ? "" : String.valueOf(task.nodeInfo().nodeId()),
                        (a, b) -> a, TreeMap::new));
    }

    static void touch(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times each task id is in the runs file. */
    static Map<String, Integer> runsById(Path runs) {
        try {
            if (!Files.exists(runs)) {
                return Map.of();
            }
            return Files.readAllLines(runs, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .collect(Collectors.toMap(line -> line.strip(), line -> 1, Integer::sum, TreeMap::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines in the runs file: every run so far. */
    static long runCount(Path runs) {
        return runsById(runs).values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Every task of the job, by id (only what the checks read). */
    static Map<String, CloudTask> tasks(BatchClient batch, String jobId) {
        return batch.tasks().list(jobId, ListOptions.ALL.withSelect("id,state,executionInfo,nodeInfo"),
                        RequestOptions.DEFAULTS)
                .collect(Collectors.toMap(CloudTask::id, task -> task, (a, b) -> a, TreeMap::new));
    }

    static List<ComputeNode> nodes(BatchClient batch, String poolId) {
        return batch.nodes().list(poolId, ListOptions.ALL, RequestOptions.DEFAULTS).toList();
    }

    /**
     * Each of {@code expected} tasks is completed with exit code 0 and result success, its retryCount 0 (a crash
     * must never spend a retry), and ran at least once by the runs file; nothing else is in the job.
     */
    static void assertAllSucceededOnce(Map<String, CloudTask> tasks, List<TaskSpec> expected,
            Map<String, Integer> runs, Supplier<String> diagnostics) {
        assertThat(tasks.keySet()).as("the job's tasks").containsExactlyInAnyOrderElementsOf(
                expected.stream().map(TaskSpec::id).toList());
        List<String> wrong = new ArrayList<>();
        tasks.forEach((id, task) -> {
            var info = task.executionInfo();
            if (!"completed".equalsIgnoreCase(String.valueOf(task.state())) || info == null
                    || !Integer.valueOf(0).equals(info.exitCode()) || info.result() != TaskExecutionResult.SUCCESS
                    || info.retryCount() != 0) {
                wrong.add(id + " " + task.state() + " " + info);
            }
        });
        assertThat(wrong).as("tasks not completed with exit code 0, result success and retryCount 0 (of %d)%n%s",
                tasks.size(), diagnostics.get()).isEmpty();
        List<String> neverRan = expected.stream().map(TaskSpec::id).filter(id -> !runs.containsKey(id)).toList();
        assertThat(neverRan).as("completed tasks that never ran (not in the runs file)").isEmpty();
        assertThat(runs.keySet()).as("ids in the runs file that are not tasks of the job")
                .isSubsetOf(tasks.keySet());
    }

    /** Ids that ran more than once, with how many times. */
    static Map<String, Integer> duplicates(Map<String, Integer> runs) {
        return runs.entrySet().stream().filter(entry -> entry.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    /**
     * Waits until every task of the job has completed, and returns how many did; a wait that runs out fails with the
     * diagnostics (the children's logs).
     */
    static long awaitCompleted(BatchClient batch, String jobId, Duration deadline, Supplier<String> diagnostics) {
        try {
            return batch.tasks().waitForTasks(jobId, WaitOptions.DEFAULTS.withDeadline(deadline)
                    .withPolling(Duration.ofMillis(200), Duration.ofSeconds(1))).completed();
        } catch (RuntimeException failed) {
            throw new AssertionError("The tasks of " + jobId + " did not all complete: " + failed + "\n"
                    + diagnostics.get(), failed);
        }
    }

    /** Polls {@code condition} every 250 ms until it holds, or fails after {@code timeout} with the diagnostics. */
    static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + timeout.toSeconds() + " s in vain: " + what + "\n"
                        + diagnostics.get());
            }
            ChildJvm.sleep(250);
        }
    }
}
