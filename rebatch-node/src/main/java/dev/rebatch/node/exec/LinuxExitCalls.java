package dev.rebatch.node.exec;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The Linux calls with which one thread learns of the exit of many processes ({@link ProcessReaper}): a pidfd per
 * process ({@code pidfd_open}, Linux 5.3, called through {@code syscall} so that glibc older than 2.36 does too),
 * which becomes readable when the process exits, and one epoll set that waits on all of them. Bound only on Linux
 * on x86-64 or AArch64, where the numbers and layouts below hold.
 */
final class LinuxExitCalls {

    /** The same number on x86-64 and AArch64: system calls added since 424 are numbered alike everywhere. */
    static final long SYS_PIDFD_OPEN = 434;
    static final int EPOLL_CLOEXEC = 02000000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLLIN = 0x1;
    static final int ENOSYS = 38;

    private static final String ERRNO = "errno";
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    /**
     * struct epoll_event: a 32-bit event mask and a 64-bit user datum, packed on x86-64 (12 bytes) but aligned on
     * AArch64 (16), where the kernel's own definition differs.
     */
    final long eventBytes;
    final long eventDataOffset;

    /**
     * {@code syscall(SYS_pidfd_open, pid, flags)}; the capture-state segment first (the linker's one layout for every
     * call: {@link LibcSpawnCalls#captureStateLayout} and {@link LibcSpawnCalls#errno} read it).
     */
    final MethodHandle pidfdOpen;
    final MethodHandle epollCreate1;
    final MethodHandle epollCtl;
    /** {@code epoll_wait(epfd, events, max, timeout)}; the capture-state segment first. */
    final MethodHandle epollWait;
    final MethodHandle close;

    private LinuxExitCalls(Linker linker, SymbolLookup libc, boolean packedEvents) {
        Linker.Option errno = Linker.Option.captureCallState(ERRNO);
        // The variadic arguments as longs: a register holds 64 bits, and an int leaves the upper half undefined.
        pidfdOpen = linker.downcallHandle(find(libc, "syscall"), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1),
                errno);
        epollCreate1 = linker.downcallHandle(find(libc, "epoll_create1"), FunctionDescriptor.of(INT, INT));
        epollCtl = linker.downcallHandle(find(libc, "epoll_ctl"),
                FunctionDescriptor.of(INT, INT, INT, INT, ValueLayout.ADDRESS));
        epollWait = linker.downcallHandle(find(libc, "epoll_wait"),
                FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT, INT), errno);
        close = linker.downcallHandle(find(libc, "close"), FunctionDescriptor.of(INT, INT));
        eventBytes = packedEvents ? 12 : 16;
        eventDataOffset = packedEvents ? 4 : 8;
    }

    /** The bound calls, or empty where they cannot be bound (not Linux on x86-64 or AArch64, a symbol missing). */
    static Optional<LinuxExitCalls> bind() {
        String arch = System.getProperty("os.arch", "");
        if (!System.getProperty("os.name", "").equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
            return Optional.empty();
        }
        try {
            Linker linker = Linker.nativeLinker();
            return Optional.of(new LinuxExitCalls(linker, linker.defaultLookup(), arch.equals("amd64")));
        } catch (NoSuchElementException | IllegalCallerException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static MemorySegment find(SymbolLookup libc, String name) {
        return libc.find(name).orElseThrow(() -> new NoSuchElementException("the C library has no " + name));
    }
}
