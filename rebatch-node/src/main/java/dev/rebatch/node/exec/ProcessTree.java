package dev.rebatch.node.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a process and everything it started: a task is its whole process tree, and a {@code sh -c} that is killed
 * alone leaves its children running, still writing to the task's files.
 *
 * <p>The order matters. Descendants are signalled first, then the root: once the root is gone its children are
 * re-parented and can no longer be found from it. The price is a short window in which a shell whose child just died
 * goes on with its script; it may even exit 0 before its own signal arrives, so a task ended this way can report any
 * exit code (Batch warns of "an operating system-defined exit code"). Everyone first gets SIGTERM ({@link ProcessHandle#destroy}) so
 * programs can clean up; whatever still runs after the grace period gets SIGKILL
 * ({@link ProcessHandle#destroyForcibly}). While the root lives, children it forks in the meantime are found and
 * signalled too. No thread waits: a check on the shared scheduler polls the tree until it is gone.
 *
 * <p>Limits: a descendant that escaped the tree before it was ended (a daemon that double-forked away) is not found,
 * and a process that cannot die (uninterruptible I/O) is given up on after {@link #GIVE_UP_AFTER_KILL}. Only
 * process groups or cgroups would do better, and Java reaches neither.
 */
final class ProcessTree {

    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);

    private static final long POLL_MILLIS = 50;
    /** After SIGKILL, how long the tree may take to disappear before the kill is declared done anyway. */
    static final Duration GIVE_UP_AFTER_KILL = Duration.ofSeconds(30);
    /** Linux's /proc tells zombies apart; elsewhere {@link ProcessHandle#isAlive} is all there is. */
    private static final boolean HAS_PROC = Files.isDirectory(Path.of("/proc/self"));

    private final ProcessHandle root;
    private final Duration grace;
    private final Set<ProcessHandle> members = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private volatile boolean forced;

    private ProcessTree(ProcessHandle root, Duration grace) {
        this.root = root;
        this.grace = grace;
    }

    /**
     * Starts ending {@code root} and its descendants and returns at once.
     *
     * @param grace how long SIGTERM has before SIGKILL
     * @return completes when no process of the tree runs any more
     */
    static CompletableFuture<Void> terminate(ProcessHandle root, Duration grace, ScheduledExecutorService scheduler) {
        ProcessTree tree = new ProcessTree(root, grace);
        tree.signalNewDescendants(ProcessHandle::destroy);
        root.destroy();
        ScheduledFuture<?> poll = scheduler.scheduleWithFixedDelay(tree::check, POLL_MILLIS, POLL_MILLIS,
                TimeUnit.MILLISECONDS);
        tree.gone.whenComplete((ignored, error) -> poll.cancel(false));
        return tree.gone;
    }

    /**
     * Whether a process still runs. A zombie has exited and only waits for its parent (or init) to collect it, yet
     * {@link ProcessHandle#isAlive} says it is alive; where init does not reap (PID 1 of some containers), killed
     * orphans stay zombies for good, so they must count as gone.
     */
    static boolean isRunning(ProcessHandle process) {
        return process.isAlive() && !(HAS_PROC && isZombie(process.pid()));
    }

    private void check() {
        try {
            long elapsed = System.nanoTime() - startNanos;
            if (!forced && elapsed >= grace.toNanos()) {
                forced = true;
                signalNewDescendants(ProcessHandle::destroyForcibly);
                members.forEach(ProcessHandle::destroyForcibly);
                root.destroyForcibly();
            } else if (root.isAlive()) {
                signalNewDescendants(forced ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
            }
            if (!isRunning(root) && members.stream().noneMatch(ProcessTree::isRunning)) {
                gone.complete(null);
            } else if (forced && elapsed >= grace.plus(GIVE_UP_AFTER_KILL).toNanos()) {
                List<Long> survivors = members.stream().filter(ProcessTree::isRunning).map(ProcessHandle::pid).toList();
                log.warn("Process tree of {} still has processes {} {} after SIGKILL; giving up on them", root.pid(),
                        survivors, GIVE_UP_AFTER_KILL);
                gone.complete(null);
            }
        } catch (RuntimeException e) {
            // A failure here must not cancel the periodic check and leave the outcome hanging.
            log.warn("Checking process tree of {} failed", root.pid(), e);
        }
    }

    /** The whole snapshot first, then the signals, so the root gets its signal as soon after them as possible. */
    private void signalNewDescendants(Consumer<ProcessHandle> signal) {
        root.descendants().filter(members::add).toList().forEach(signal);
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // "pid (comm) S ...": the state follows the last ')', since comm itself may contain ')'.
            int end = stat.lastIndexOf(')');
            return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (NoSuchFileException e) {
            return true; // exited and collected since isAlive was asked
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
