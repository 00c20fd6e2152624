package dev.rebatch.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What tests that run real processes share. The waits are generous: the build machine is shared, and a loaded
 * machine must make these tests slow, never flaky. Nothing waits longer than it has to.
 */
final class ProcessTests {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private ProcessTests() {}

    static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    static TaskOutcome await(RunningTask task) throws InterruptedException, ExecutionException, TimeoutException {
        return task.outcome().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Waits until the task's root process has at least {@code count} descendants, and returns them. */
    static List<ProcessHandle> awaitDescendants(RunningTask task, int count) throws InterruptedException {
        ProcessHandle root = ProcessHandle.of(task.pid().orElseThrow()).orElseThrow();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> descendants = root.descendants().toList();
            if (descendants.size() >= count) {
                return descendants;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The task's process never had " + count + " descendants");
    }

    /** Waits until the task's process group has at least {@code count} processes besides the root; returns them. */
    static List<ProcessHandle> awaitGroup(RunningTask task, int count) throws InterruptedException {
        long root = task.pid().orElseThrow();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> members = ProcessTree.groupMembers(root);
            if (members.size() >= count) {
                return members;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The task's process group never had " + count + " processes besides its leader");
    }

    /** Nothing of the tree runs any more (a zombie waiting for init to collect it has exited). */
    static void assertAllGone(List<ProcessHandle> processes) {
        assertThat(processes).as("processes of the tree").noneMatch(ProcessTree::isRunning);
    }
}
