package dev.rebatch.node.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a process and everything it started: a task is its whole process tree, and a {@code sh -c} that is killed
 * alone leaves its children running, still writing to the task's files.
 *
 * <p>Who belongs to the tree: the root's descendants, and, on Linux, every process of the root's process group. The
 * {@link ProcessSpawner} starts each task as the leader of its own session and group, which its children keep even
 * when they are orphaned (re-parented to init, out of reach of {@link ProcessHandle#descendants}). Only a process that leaves the group on purpose (a daemon calling setsid)
 * escapes; cgroups would catch that too, and Java reaches neither them nor {@code kill(-pgid)}, hence the /proc scan.
 *
 * <p>The order: descendants are signalled first, then the root, so none of them is re-parented before it is known.
 * The price is a short window in which a shell whose child just died goes on with its script; it may even exit 0
 * before its own signal arrives, so a task ended this way can report any exit code (Batch warns of "an operating
 * system-defined exit code"). Everyone first gets SIGTERM ({@link ProcessHandle#destroy}) so programs can clean up;
 * whatever still runs after the grace period gets SIGKILL ({@link ProcessHandle#destroyForcibly}). Processes that
 * appear in the meantime (a shell starting its next command) are found by the next check and signalled the same
 * way. No thread waits: a check on the shared scheduler polls the tree until it is gone, and gives up on processes
 * that cannot die (uninterruptible I/O) {@link #GIVE_UP_AFTER_KILL} after SIGKILL.
 */
final class ProcessTree {

    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);

    private static final long POLL_MILLIS = 50;
    /** After SIGKILL, how long the tree may take to disappear before the kill is declared done anyway. */
    static final Duration GIVE_UP_AFTER_KILL = Duration.ofSeconds(30);
    private static final Path PROC = Path.of("/proc");
    /** Linux's /proc knows zombies and process groups; elsewhere there are only descendants and isAlive. */
    private static final boolean HAS_PROC = Files.isDirectory(PROC.resolve("self"));

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
     * Starts ending {@code root} and its tree and returns at once.
     *
     * @param grace how long SIGTERM has before SIGKILL
     * @return completes when no process of the tree runs any more
     */
    static CompletableFuture<Void> terminate(ProcessHandle root, Duration grace, ScheduledExecutorService scheduler) {
        ProcessTree tree = new ProcessTree(root, grace);
        tree.signalNewMembers(ProcessHandle::destroy);
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

    /**
     * The processes of the process group {@code groupId}, the group leader excepted; empty without /proc. The kernel
     * does not reuse a pid while a group still carries it as its id, so the id cannot point at strangers.
     */
    static List<ProcessHandle> groupMembers(long groupId) {
        List<ProcessHandle> members = new ArrayList<>();
        if (!HAS_PROC) {
            return members;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    long pid = Long.parseLong(entry.getFileName().toString());
                    if (pid != groupId && processGroup(pid) == groupId) {
                        ProcessHandle.of(pid).ifPresent(members::add);
                    }
                } catch (IOException | RuntimeException e) {
                    // Not a process, or one we may not read: not ours to end either way.
                }
            }
        } catch (IOException e) {
            log.debug("Cannot list the processes of group {}", groupId, e);
        }
        return members;
    }

    private void check() {
        try {
            long elapsed = System.nanoTime() - startNanos;
            if (!forced && elapsed >= grace.toNanos()) {
                forced = true;
                signalNewMembers(ProcessHandle::destroyForcibly);
                members.forEach(ProcessHandle::destroyForcibly);
                root.destroyForcibly();
            } else {
                signalNewMembers(forced ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
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
    private void signalNewMembers(Consumer<ProcessHandle> signal) {
        Stream.concat(root.descendants(), groupMembers(root.pid()).stream())
                .filter(process -> !process.equals(root))
                .filter(members::add).toList().forEach(signal);
    }

    /** The fields of /proc/PID/stat after "pid (comm)", which may itself contain ')'; empty if it is gone. */
    private static Optional<String[]> statFields(long pid) throws IOException {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')');
            return Optional.of(stat.substring(end + 2).split(" "));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Field 5 of stat, pgrp; -1 if the process is gone. */
    private static long processGroup(long pid) throws IOException {
        return statFields(pid).map(fields -> Long.parseLong(fields[2])).orElse(-1L);
    }

    private static boolean isZombie(long pid) {
        try {
            // Exited and collected since isAlive was asked counts as gone too.
            return statFields(pid).map(fields -> fields[0].equals("Z")).orElse(true);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
