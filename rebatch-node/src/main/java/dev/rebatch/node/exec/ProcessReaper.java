package dev.rebatch.node.exec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the processes {@link PosixProcessSpawner} starts: the JVM does not know them, so nobody else would, and an
 * uncollected process lingers as a zombie. Also says when each has exited, with its exit status.
 *
 * <p>One platform thread waits for all of them: each process gets a pidfd, which the kernel makes readable when the
 * process exits, and the thread waits on all pidfds at once in {@code epoll_wait}, then collects the exited ones with
 * {@code waitpid} (which then need not wait). With a thread per process blocked in {@code waitpid}, as the JDK's own
 * reaper does, a node running a thousand long tasks would hold a thousand threads. Where pidfds are not available
 * (Linux before 5.3, or a descriptor limit reached), a process gets that thread of its own instead.
 *
 * <p>The process's {@link ProcessHandle} (what ends its tree, {@link ProcessTree}) is taken only when someone asks,
 * which most tasks never do: reading it costs a read of /proc. It is taken under the same lock as the collection, and
 * only before it: until a process is collected its pid cannot be reused, so the handle is surely this process's.
 */
final class ProcessReaper {

    private static final Logger log = LoggerFactory.getLogger(ProcessReaper.class);

    /** The most exits one epoll_wait returns; more simply wait for the next call. */
    private static final int MAX_EVENTS = 64;
    private static final int NO_TIMEOUT = -1;

    private final LibcSpawnCalls libc;
    /** Empty when pidfds cannot be used here: every process then has a thread of its own. */
    private final Optional<LinuxExitCalls> exits;
    private final int epollFd;
    /** The processes the epoll thread waits for, by pidfd. */
    private final Map<Integer, Child> byPidfd = new ConcurrentHashMap<>();
    private volatile boolean pidfdsWork;
    /** Platform threads: a blocking native call would pin a virtual thread's carrier anyway. */
    private final ExecutorService blockingReapers = Executors.newCachedThreadPool(Thread.ofPlatform().daemon()
            .name("rebatch-process-reaper-", 0).stackSize(256 * 1024).factory());

    ProcessReaper(LibcSpawnCalls libc, Optional<LinuxExitCalls> exits) {
        this.libc = libc;
        int epoll = -1;
        if (exits.isPresent()) {
            try {
                epoll = (int) exits.get().epollCreate1.invokeExact(LinuxExitCalls.EPOLL_CLOEXEC);
            } catch (Throwable e) {
                log.debug("epoll_create1 could not be called", e);
            }
        }
        this.epollFd = epoll;
        this.exits = epoll >= 0 ? exits : Optional.empty();
        this.pidfdsWork = this.exits.isPresent();
        if (pidfdsWork) {
            Thread.ofPlatform().daemon().name("rebatch-process-reaper").stackSize(256 * 1024).start(this::waitForExits);
        }
    }

    /** Whether exits are waited for by one thread (pidfds and epoll) rather than a thread per process. */
    boolean usesPidfds() {
        return pidfdsWork;
    }

    /** Watches {@code pid}, a child of this JVM just started and not yet collected by anyone. */
    SpawnedProcess watch(int pid) {
        Child child = new Child(pid);
        if (!pidfdsWork || !watchWithPidfd(child)) {
            // Taken before the process can be collected (see above); its own thread then waits for it.
            child.handle();
            blockingReapers.execute(() -> waitBlocking(child));
        }
        return new SpawnedProcess(pid, child::handle, child.exitCode);
    }

    private boolean watchWithPidfd(Child child) {
        LinuxExitCalls calls = exits.orElseThrow();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment captureState = arena.allocate(libc.captureStateLayout);
            int pidfd = (int) (long) calls.pidfdOpen.invokeExact(captureState, LinuxExitCalls.SYS_PIDFD_OPEN,
                    (long) child.pid, 0L);
            if (pidfd < 0) {
                int errno = libc.errno(captureState);
                if (errno == LinuxExitCalls.ENOSYS) {
                    pidfdsWork = false;
                    log.info("This kernel has no pidfd_open (Linux 5.3): each task's process gets a thread that "
                            + "waits for it");
                } else {
                    log.warn("pidfd_open({}) failed: {}; its own thread waits for it", child.pid, libc.describe(errno));
                }
                return false;
            }
            byPidfd.put(pidfd, child); // before the epoll set has it: the thread may see it ready at once
            MemorySegment event = arena.allocate(calls.eventBytes, 8);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, 0, LinuxExitCalls.EPOLLIN);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, calls.eventDataOffset, pidfd);
            int added = (int) calls.epollCtl.invokeExact(epollFd, LinuxExitCalls.EPOLL_CTL_ADD, pidfd, event);
            if (added != 0) {
                byPidfd.remove(pidfd);
                closeQuietly(pidfd);
                log.warn("epoll_ctl could not add the pidfd of {}; its own thread waits for it", child.pid);
                return false;
            }
            return true;
        } catch (Throwable e) {
            throw new IllegalStateException("pidfd_open or epoll_ctl could not be called for " + child.pid, e);
        }
    }

    /** The epoll thread: runs as long as the JVM. */
    private void waitForExits() {
        LinuxExitCalls calls = exits.orElseThrow();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(calls.eventBytes * MAX_EVENTS, 8);
            MemorySegment captureState = arena.allocate(libc.captureStateLayout);
            Collector collector = new Collector(arena);
            while (true) {
                int ready = (int) calls.epollWait.invokeExact(captureState, epollFd, events, MAX_EVENTS, NO_TIMEOUT);
                if (ready < 0) {
                    int errno = libc.errno(captureState);
                    if (errno == LibcSpawnCalls.EINTR) {
                        continue;
                    }
                    throw new IllegalStateException("epoll_wait failed: " + libc.describe(errno));
                }
                for (int i = 0; i < ready; i++) {
                    int pidfd = events.get(ValueLayout.JAVA_INT_UNALIGNED,
                            i * calls.eventBytes + calls.eventDataOffset);
                    Child child = byPidfd.get(pidfd);
                    if (child != null && collector.collect(child, true)) {
                        byPidfd.remove(pidfd);
                        // Out of the set before the close: a child being spawned right now holds a copy of every
                        // descriptor until it execs, and the set forgets a descriptor only when the last copy closes.
                        int ignored = (int) calls.epollCtl.invokeExact(epollFd, LinuxExitCalls.EPOLL_CTL_DEL, pidfd,
                                MemorySegment.NULL);
                        closeQuietly(pidfd);
                        child.published();
                    }
                }
            }
        } catch (Throwable e) {
            // Nothing here is expected to fail; if it does, no exit would ever be reported again: say so to everyone.
            log.error("The process reaper failed; every task's process gets a thread that waits for it from now on", e);
            pidfdsWork = false;
            for (Child child : byPidfd.values()) {
                child.exitCode.completeExceptionally(e);
            }
            byPidfd.clear();
        }
    }

    private void waitBlocking(Child child) {
        try (Arena arena = Arena.ofConfined()) {
            new Collector(arena).collect(child, false);
        } catch (Throwable e) {
            child.exitCode.completeExceptionally(e);
            return;
        }
        child.published();
    }

    private void closeQuietly(int fd) {
        try {
            int ignored = (int) exits.orElseThrow().close.invokeExact(fd);
        } catch (Throwable e) {
            log.debug("close({}) could not be called", fd, e);
        }
    }

    /** waitpid with the memory it needs, reused by the thread that owns it. */
    private final class Collector {

        private final MemorySegment captureState;
        private final MemorySegment status;

        Collector(Arena arena) {
            captureState = arena.allocate(libc.captureStateLayout);
            status = arena.allocate(ValueLayout.JAVA_INT);
        }

        /**
         * Collects {@code child} and records its exit status. With {@code exited} (the kernel said so) waitpid does
         * not wait, and runs under the child's lock, so that no handle is taken after the collection; it returns
         * whether the child was collected. Otherwise it waits until the child exits, outside the lock (the handle must
         * have been taken before), and returns true.
         */
        boolean collect(Child child, boolean exited) throws Throwable {
            if (exited) {
                synchronized (child) {
                    return collectNow(child, LibcSpawnCalls.WNOHANG);
                }
            }
            return collectNow(child, 0);
        }

        private boolean collectNow(Child child, int options) throws Throwable {
            while (true) {
                int collected = (int) libc.waitpid.invokeExact(captureState, child.pid, status, options);
                if (collected == child.pid) {
                    child.collected(PosixProcessSpawner.exitStatus(status.get(ValueLayout.JAVA_INT, 0)), null);
                    return true;
                }
                if (collected == 0) {
                    return false; // not exited after all (WNOHANG): it stays watched
                }
                int errno = libc.errno(captureState);
                if (errno != LibcSpawnCalls.EINTR) {
                    // Whatever it was, it is no longer ours to wait for.
                    child.collected(0, new IllegalStateException(
                            "waitpid(" + child.pid + ") failed: " + libc.describe(errno)));
                    return true;
                }
            }
        }
    }

    /** One watched process. Its fields are guarded by its own lock. */
    private static final class Child {

        final int pid;
        final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        private boolean collected;
        private int status;
        private Throwable failure;
        private Optional<ProcessHandle> handle;

        Child(int pid) {
            this.pid = pid;
        }

        /** Its handle, if taken before it was collected; empty once it has been collected without one. */
        synchronized Optional<ProcessHandle> handle() {
            if (handle == null) {
                handle = collected ? Optional.empty() : ProcessHandle.of(pid);
            }
            return handle;
        }

        synchronized void collected(int exitStatus, Throwable failed) {
            collected = true;
            status = exitStatus;
            failure = failed;
        }

        /** Completes {@link #exitCode}, outside the lock: its dependent stages run here, on the collecting thread. */
        void published() {
            Throwable failed;
            int code;
            synchronized (this) {
                failed = failure;
                code = status;
            }
            if (failed != null) {
                exitCode.completeExceptionally(failed);
            } else {
                exitCode.complete(code);
            }
        }
    }
}
