package dev.rebatch.node.exec;

import static dev.rebatch.node.exec.ProcessTests.await;
import static dev.rebatch.node.exec.ProcessTests.awaitDescendants;
import static dev.rebatch.node.exec.ProcessTests.awaitGroup;
import static dev.rebatch.node.exec.ProcessTests.assertAllGone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rebatch.node.MutableClock;
import dev.rebatch.node.NodeContext;
import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.retention.RetentionSweeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@link TaskLauncher} does, run once with each way of starting processes ({@link ProcessSpawner}):
 * posix_spawn, which the agent uses here ({@link PosixSpawnTaskLauncherTest}), and the JDK's ProcessBuilder, its
 * fallback elsewhere ({@link ProcessBuilderTaskLauncherTest}).
 */
abstract class TaskLauncherContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static ScheduledThreadPoolExecutor scheduler;

    @TempDir
    Path root;
    private NodeContext node;
    private NodeLayout layout;
    private final MutableClock clock = new MutableClock(T0);
    private final TaskKey task = new TaskKey("job-1", "task-1");

    abstract ProcessSpawner spawner();

    @BeforeAll
    static void startScheduler() {
        scheduler = ProcessTests.scheduler();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    @BeforeEach
    void node() {
        node = new NodeContext("myaccount", "https://myaccount.example.com", "pool-1", "node-1", root, true);
        layout = node.layout();
    }

    private TaskLauncher.Builder builder(ScheduledThreadPoolExecutor scheduler) {
        return TaskLauncher.builder(node, scheduler).spawner(spawner());
    }

    TaskLauncher launcher() {
        return builder(scheduler).clock(clock).build();
    }

    TaskSpec spec(String commandLine) {
        return TaskSpec.of(task, commandLine);
    }

    @Test
    void aZeroExitSucceedsWithTheClocksStartAndEndTimes() throws Exception {
        TaskOutcome outcome = await(launcher().launch(spec("/bin/sh -c 'exit 0'")));

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.failureInfo()).isNull();
        assertThat(outcome.result()).isEqualTo(TaskExecutionResult.SUCCESS);
        assertThat(outcome.startTime()).isEqualTo(T0);
        assertThat(outcome.endTime()).isEqualTo(T0);
        assertThat(outcome.task()).isEqualTo(task);
    }

    @Test
    void aNonZeroExitIsAFailureExitCode() throws Exception {
        TaskOutcome outcome = await(launcher().launch(spec("/bin/sh -c 'exit 3'")));

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.result()).isEqualTo(TaskExecutionResult.FAILURE);
        assertThat(outcome.failureInfo().category()).isEqualTo(ErrorCategory.USER_ERROR);
        assertThat(outcome.failureInfo().code()).isEqualTo("FailureExitCode");
        assertThat(outcome.failureInfo().details()).contains(new NameValuePair("ExitCode", "3"));
    }

    @Test
    void outputGoesToTheTaskDirectoryAndTheProgramRunsInWd() throws Exception {
        await(launcher().launch(spec("/bin/sh -c 'echo out; echo err >&2; pwd; touch made-here'")));

        assertThat(Files.readString(layout.stdout(task))).isEqualTo("out\n" + layout.workingDir(task) + "\n");
        assertThat(Files.readString(layout.stderr(task))).isEqualTo("err\n");
        assertThat(layout.workingDir(task).resolve("made-here")).exists();
        assertThat(layout.shared()).isDirectory();
        assertThat(layout.startup()).isDirectory();
    }

    @Test
    void argumentsReachTheProgramAsTokenizedWithoutAShell() throws Exception {
        await(launcher().launch(spec("/bin/sh -c 'printf \"[%s]\" \"$@\"' sh 'a b' \"$HOME\" '*' ''")));

        assertThat(Files.readString(layout.stdout(task))).isEqualTo("[a b][$HOME][*][]");
    }

    @Test
    void theEnvironmentHasTheBatchVariablesAndTheSettingsButNotTheAgentsSecrets() throws Exception {
        Map<String, String> agent = new LinkedHashMap<>(System.getenv());
        agent.put("REBATCH_ACCOUNT_KEY", "c2VjcmV0");
        agent.put("DATABASE_PASSWORD", "hunter2");
        TaskLauncher launcher = builder(scheduler)
                .inheritedEnvironment(TaskEnvironment.inheritedFrom(agent)).build();
        TaskSpec spec = new TaskSpec(task, "env",
                List.of(new EnvironmentSetting("SHARED", "from-task"), new EnvironmentSetting("TASK_ONLY", "t"),
                        new EnvironmentSetting("AZ_BATCH_TASK_DIR", "/elsewhere")),
                List.of(new EnvironmentSetting("SHARED", "from-job"), new EnvironmentSetting("JOB_ONLY", "j")),
                null, null);

        await(launcher.launch(spec));

        Map<String, String> env = parseEnv(Files.readString(layout.stdout(task)));
        assertThat(env).containsEntry("AZ_BATCH_ACCOUNT_NAME", "myaccount")
                .containsEntry("AZ_BATCH_ACCOUNT_URL", "https://myaccount.example.com")
                .containsEntry("AZ_BATCH_POOL_ID", "pool-1")
                .containsEntry("AZ_BATCH_NODE_ID", "node-1")
                .containsEntry("AZ_BATCH_NODE_IS_DEDICATED", "true")
                .containsEntry("AZ_BATCH_JOB_ID", "job-1")
                .containsEntry("AZ_BATCH_TASK_ID", "task-1")
                .containsEntry("AZ_BATCH_NODE_ROOT_DIR", layout.root().toString())
                .containsEntry("AZ_BATCH_NODE_SHARED_DIR", layout.shared().toString())
                .containsEntry("AZ_BATCH_NODE_STARTUP_DIR", layout.startup().toString())
                .containsEntry("AZ_BATCH_TASK_DIR", layout.taskDir(task).toString())
                .containsEntry("AZ_BATCH_TASK_WORKING_DIR", layout.workingDir(task).toString())
                .containsEntry("SHARED", "from-task")
                .containsEntry("TASK_ONLY", "t")
                .containsEntry("JOB_ONLY", "j")
                .containsKey("PATH")
                .doesNotContainKeys("REBATCH_ACCOUNT_KEY", "DATABASE_PASSWORD");
    }

    @Test
    void theProgramIsLookedUpInTheTasksOwnPath() throws Exception {
        Path bin = Files.createDirectories(root.resolve("tools"));
        executable(bin.resolve("hello"), "#!/bin/sh\necho hello from $0\n");
        TaskSpec spec = new TaskSpec(task, "hello",
                List.of(new EnvironmentSetting("PATH", bin + ":/usr/bin:/bin")), List.of(), null, null);

        TaskOutcome outcome = await(launcher().launch(spec));

        assertThat(outcome.exitCode()).isZero();
        assertThat(Files.readString(layout.stdout(task))).isEqualTo("hello from " + bin.resolve("hello") + "\n");
    }

    @Test
    void aMissingProgramIsCommandProgramNotFoundWithoutAnExitCode() throws Exception {
        for (String commandLine : List.of("no-such-program-rebatch --flag", "/no/such/program", "./missing.sh")) {
            TaskOutcome outcome = await(launcher().launch(spec(commandLine)));

            assertThat(outcome.exitCode()).as(commandLine).isNull();
            assertThat(outcome.failureInfo().category()).isEqualTo(ErrorCategory.USER_ERROR);
            assertThat(outcome.failureInfo().code()).isEqualTo("CommandProgramNotFound");
            assertThat(outcome.failureInfo().message()).isEqualTo("The specified command program is not found.");
        }
    }

    @Test
    void aFileThatIsNotExecutableIsCommandProgramNotFound() throws Exception {
        Path script = Files.createDirectories(root.resolve("scripts")).resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\necho never\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));

        TaskOutcome outcome = await(launcher().launch(spec(script.toString())));

        assertThat(outcome.exitCode()).isNull();
        assertThat(outcome.failureInfo().code()).isEqualTo("CommandProgramNotFound");
        assertThat(outcome.failureInfo().details().get(0).value()).contains("not executable");
    }

    @Test
    void aDirectoryIsNotAProgram() throws Exception {
        TaskOutcome outcome = await(launcher().launch(spec("/tmp")));

        assertThat(outcome.failureInfo().code()).isEqualTo("CommandProgramNotFound");
        assertThat(outcome.failureInfo().details().get(0).value()).contains("is a directory");
    }

    @Test
    void anUnbalancedQuoteIsCommandLaunchFailed() throws Exception {
        TaskOutcome outcome = await(launcher().launch(spec("/bin/sh -c 'echo hi")));

        assertThat(outcome.exitCode()).isNull();
        assertThat(outcome.failureInfo().code()).isEqualTo("CommandLaunchFailed");
        assertThat(outcome.failureInfo().message()).isEqualTo("Failed to launch the specified command line.");
        assertThat(outcome.failureInfo().details().get(0).value()).contains("never closed");
    }

    @Test
    void anEnvironmentTooBigToExecIsCommandLaunchFailed() throws Exception {
        // Linux refuses any one argument or variable over 128 KiB with E2BIG.
        TaskSpec spec = new TaskSpec(task, "/bin/true",
                List.of(new EnvironmentSetting("HUGE", "x".repeat(300_000))), List.of(), null, null);

        TaskOutcome outcome = await(launcher().launch(spec));

        assertThat(outcome.exitCode()).isNull();
        assertThat(outcome.failureInfo().code()).isEqualTo("CommandLaunchFailed");
    }

    @Test
    void theWallClockLimitEndsTheWholeProcessTree() throws Exception {
        TaskSpec spec = new TaskSpec(task, "/bin/sh -c 'sleep 100 & sleep 100; wait'", List.of(), List.of(),
                Duration.ofSeconds(5), null);
        TaskLauncher launcher = builder(scheduler).build();

        RunningTask running = launcher.launch(spec);
        List<ProcessHandle> tree = new ArrayList<>(awaitDescendants(running, 2));
        tree.add(ProcessHandle.of(running.pid().orElseThrow()).orElseThrow());
        TaskOutcome outcome = await(running);

        assertThat(outcome.failureInfo().code()).isEqualTo("TaskEnded");
        assertThat(outcome.failureInfo().category()).isEqualTo(ErrorCategory.USER_ERROR);
        assertThat(outcome.failureInfo().details()).contains(new NameValuePair("Reason", "MaxWallClockTimeExpiry"),
                new NameValuePair("MaxWallClockTime", "PT5S"));
        // The shell may see its children die and exit 0 just before its own SIGTERM arrives.
        assertThat(outcome.exitCode()).isIn(0, 128 + 15);
        assertThat(Duration.between(outcome.startTime(), outcome.endTime())).isGreaterThanOrEqualTo(
                Duration.ofSeconds(5));
        assertAllGone(tree);
    }

    @Test
    void cancelEndsTheWholeTreeAsEndedByUserRequest() throws Exception {
        TaskLauncher launcher = launcher();
        // The root execs a sleep, which does not notice its child die, so its exit code is its own signal's.
        RunningTask running = launcher.launch(spec("/bin/sh -c 'sleep 100 & sleep 100 & exec sleep 100'"));
        List<ProcessHandle> tree = new ArrayList<>(awaitDescendants(running, 2));
        tree.add(ProcessHandle.of(running.pid().orElseThrow()).orElseThrow());
        assertThat(launcher.running(task)).contains(running);

        assertThat(running.cancel(CancelReason.TERMINATE_TASK)).isTrue();
        assertThat(running.cancel(CancelReason.DELETE_JOB)).as("only the first reason counts").isFalse();
        TaskOutcome outcome = await(running);

        assertThat(outcome.failureInfo().code()).isEqualTo("TaskEnded");
        assertThat(outcome.failureInfo().message()).isEqualTo("Task was ended by user request.");
        assertThat(outcome.failureInfo().details()).containsExactly(new NameValuePair("Reason", "TerminateTask"));
        assertThat(outcome.exitCode()).isEqualTo(128 + 15);
        assertAllGone(tree);
        assertThat(launcher.running(task)).isEmpty();
        assertThat(running.cancel(CancelReason.TERMINATE_TASK)).as("nothing left to end").isFalse();
    }

    @Test
    void anOrphanTheTaskLeftBehindIsEndedToo() throws Exception {
        // The subshell starts a sleep and exits at once: the sleep is re-parented to init, no longer a descendant,
        // but still in the task's process group.
        RunningTask running = launcher().launch(spec("/bin/sh -c '(sleep 100 &); sleep 100'"));
        List<ProcessHandle> group = awaitGroup(running, 2);
        assertThat(ProcessHandle.of(running.pid().orElseThrow()).orElseThrow().descendants().toList())
                .as("the orphan is out of the tree").hasSizeLessThan(group.size());

        running.cancel(CancelReason.TERMINATE_TASK);
        await(running);

        assertAllGone(group);
    }

    @Test
    void theTaskLeadsItsOwnProcessGroupAndKeepsItsExitCode() throws Exception {
        // Field 5 of /proc/PID/stat is the process group.
        TaskOutcome outcome = await(
                launcher().launch(spec("/bin/sh -c 'cut -d\" \" -f5 /proc/$$/stat; echo $$; exit 7'")));

        String[] lines = Files.readString(layout.stdout(task)).split("\n");
        assertThat(lines[0]).as("process group id").isEqualTo(lines[1]);
        assertThat(outcome.exitCode()).isEqualTo(7);
    }

    @Test
    void processesThatIgnoreSigtermAreKilledAfterTheGrace() throws Exception {
        TaskLauncher launcher = builder(scheduler).killGrace(Duration.ofSeconds(1)).build();
        // Ignored signals stay ignored across fork and exec: every process of this tree ignores SIGTERM.
        RunningTask running = launcher.launch(
                spec("/bin/sh -c \"trap '' TERM; sleep 100 & sleep 100 & exec sleep 100\""));
        List<ProcessHandle> tree = new ArrayList<>(awaitDescendants(running, 2));
        tree.add(ProcessHandle.of(running.pid().orElseThrow()).orElseThrow());

        running.cancel(CancelReason.DELETE_JOB);
        TaskOutcome outcome = await(running);

        assertThat(outcome.exitCode()).isEqualTo(128 + 9);
        assertThat(outcome.failureInfo().details()).containsExactly(new NameValuePair("Reason", "DeleteJob"));
        assertAllGone(tree);
    }

    @Test
    void cancelJobEndsOnlyThatJobsTasks() throws Exception {
        TaskLauncher launcher = launcher();
        RunningTask mine = launcher.launch(TaskSpec.of(new TaskKey("job-a", "t1"), "sleep 100"));
        RunningTask other = launcher.launch(TaskSpec.of(new TaskKey("job-b", "t1"), "sleep 100"));

        assertThat(launcher.cancelJob("job-a", CancelReason.TERMINATE_JOB)).containsExactly(mine);
        assertThat(await(mine).failureInfo().details()).containsExactly(new NameValuePair("Reason", "TerminateJob"));
        assertThat(other.isDone()).isFalse();
        assertThat(launcher.runningTasks()).containsExactly(other);

        other.cancel(CancelReason.TERMINATE_TASK);
        await(other);
    }

    @Test
    void aTaskRunsOnceAtATimeAndARetryStartsWithEmptyOutputButKeepsWd() throws Exception {
        TaskLauncher launcher = launcher();
        RunningTask first = launcher.launch(spec("/bin/sh -c 'echo first attempt; touch kept; sleep 100'"));
        assertThatThrownBy(() -> launcher.launch(spec("/bin/true"))).isInstanceOf(IllegalStateException.class);
        awaitFile(layout.workingDir(task).resolve("kept"));
        first.cancel(CancelReason.TERMINATE_TASK);
        await(first);

        TaskOutcome retry = await(launcher.launch(spec("/bin/sh -c 'echo 2nd; ls'")));

        assertThat(retry.exitCode()).isZero();
        assertThat(Files.readString(layout.stdout(task))).isEqualTo("2nd\nkept\n");
        assertThat(Files.readString(layout.stderr(task))).isEmpty();
    }

    @Test
    void aRetryThatCannotStartShowsNoOutputOfTheAttemptBefore() throws Exception {
        TaskLauncher launcher = launcher();
        await(launcher.launch(spec("/bin/sh -c 'echo first; echo oops >&2; exit 1'")));
        assertThat(Files.readString(layout.stdout(task))).isEqualTo("first\n");

        TaskOutcome retry = await(launcher.launch(spec("/no/such/program")));

        assertThat(retry.failureInfo().code()).isEqualTo("CommandProgramNotFound");
        assertThat(Files.readString(layout.stdout(task))).isEmpty();
        assertThat(Files.readString(layout.stderr(task))).isEmpty();
    }

    @Test
    void aTaskDirectoryInTheWayOfAFileIsADirectoryCreateFailure() throws Exception {
        Files.createDirectories(layout.taskDir(task).getParent());
        Files.writeString(layout.taskDir(task), "a file where the task's directory goes");

        TaskOutcome outcome = await(launcher().launch(spec("/bin/true")));

        assertThat(outcome.exitCode()).isNull();
        assertThat(outcome.failureInfo().code()).isEqualTo(FailureInfo.RESOURCE_DIRECTORY_CREATE_FAILED);
    }

    @Test
    void aCompletedTaskIsKeptForItsRetentionTime() throws Exception {
        RetentionSweeper retention = new RetentionSweeper(layout, scheduler, clock);
        TaskLauncher launcher = builder(scheduler).clock(clock).retention(retention).build();
        TaskSpec spec = new TaskSpec(task, "/bin/true", List.of(), List.of(), null, Duration.ofHours(2));

        TaskOutcome outcome = await(launcher.launch(spec));

        assertThat(retention.removalTime(task)).contains(outcome.endTime().plus(Duration.ofHours(2)));
    }

    @Test
    void cancellingTheOutcomeFutureDoesNotEndTheTask() throws Exception {
        RunningTask running = launcher().launch(spec("sleep 100"));

        running.outcome().cancel(true);

        assertThat(running.isDone()).isFalse();
        running.cancel(CancelReason.TERMINATE_TASK);
        assertThat(await(running).failureInfo().code()).isEqualTo("TaskEnded");
    }

    @Test
    void aShutDownSchedulerRefusesTheLaunchInsteadOfLeavingATaskUnwatched() {
        ScheduledThreadPoolExecutor stopped = ProcessTests.scheduler();
        stopped.shutdown();
        TaskLauncher launcher = builder(stopped).build();
        TaskSpec spec = new TaskSpec(task, "sleep 100", List.of(), List.of(), Duration.ofMinutes(1), null);

        assertThatThrownBy(() -> launcher.launch(spec)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shut down");
        assertThat(launcher.runningTasks()).isEmpty();
    }

    private static Map<String, String> parseEnv(String output) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                env.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return env;
    }

    private static void executable(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + ProcessTests.PATIENCE.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never appeared: " + file);
            }
            Thread.sleep(20);
        }
    }
}
