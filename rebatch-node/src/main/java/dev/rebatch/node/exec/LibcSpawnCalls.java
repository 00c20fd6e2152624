package dev.rebatch.node.exec;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The GNU C library functions {@link PosixProcessSpawner} calls, bound once through the FFM API. Bound only on Linux
 * with glibc on x86-64 or AArch64, where the flag values and {@code open} flags below hold, and only if every function
 * exists: {@code posix_spawn_file_actions_addclosefrom_np} needs glibc 2.34 and {@code ..._addchdir_np} 2.29.
 *
 * <p>Every {@code posix_spawn*} function returns its error number instead of setting errno; only {@code waitpid}
 * needs errno, captured by the linker.
 */
final class LibcSpawnCalls {

    static final int POSIX_SPAWN_SETSIGDEF = 0x04;
    static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    static final int POSIX_SPAWN_SETSID = 0x80;
    static final int O_RDONLY = 0;
    static final int O_WRONLY_CREAT_TRUNC = 0x1 | 0x40 | 0x200;
    static final int EINTR = 4;
    static final int WNOHANG = 1;

    /**
     * Room for the opaque glibc types, which are allocated by the caller: posix_spawnattr_t is 336 bytes,
     * posix_spawn_file_actions_t 80 and sigset_t 128 on both architectures; the margin costs nothing.
     */
    static final long ATTR_BYTES = 512;
    static final long FILE_ACTIONS_BYTES = 256;
    static final long SIGSET_BYTES = 256;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final AddressLayout POINTER = ValueLayout.ADDRESS;
    private static final String ERRNO = "errno";

    final MethodHandle posixSpawn;
    final MethodHandle attrInit;
    final MethodHandle attrDestroy;
    final MethodHandle attrSetFlags;
    final MethodHandle attrSetSigMask;
    final MethodHandle attrSetSigDefault;
    final MethodHandle sigEmptySet;
    final MethodHandle sigFillSet;
    final MethodHandle actionsInit;
    final MethodHandle actionsDestroy;
    final MethodHandle actionsAddOpen;
    final MethodHandle actionsAddChdir;
    final MethodHandle actionsAddCloseFrom;
    /** {@code waitpid(pid, &status, options)}, with the capture-state segment as its first argument. */
    final MethodHandle waitpid;
    final MethodHandle strerror;
    /** errno in the capture-state segment. */
    final VarHandle capturedErrno;
    final MemoryLayout captureStateLayout;

    private LibcSpawnCalls(Linker linker, SymbolLookup libc) {
        posixSpawn = bind(linker, libc, "posix_spawn", INT, POINTER, POINTER, POINTER, POINTER, POINTER, POINTER);
        attrInit = bind(linker, libc, "posix_spawnattr_init", INT, POINTER);
        attrDestroy = bind(linker, libc, "posix_spawnattr_destroy", INT, POINTER);
        attrSetFlags = bind(linker, libc, "posix_spawnattr_setflags", INT, POINTER, ValueLayout.JAVA_SHORT);
        attrSetSigMask = bind(linker, libc, "posix_spawnattr_setsigmask", INT, POINTER, POINTER);
        attrSetSigDefault = bind(linker, libc, "posix_spawnattr_setsigdefault", INT, POINTER, POINTER);
        sigEmptySet = bind(linker, libc, "sigemptyset", INT, POINTER);
        sigFillSet = bind(linker, libc, "sigfillset", INT, POINTER);
        actionsInit = bind(linker, libc, "posix_spawn_file_actions_init", INT, POINTER);
        actionsDestroy = bind(linker, libc, "posix_spawn_file_actions_destroy", INT, POINTER);
        actionsAddOpen = bind(linker, libc, "posix_spawn_file_actions_addopen", INT, POINTER, INT, POINTER, INT,
                INT);
        actionsAddChdir = bind(linker, libc, "posix_spawn_file_actions_addchdir_np", INT, POINTER, POINTER);
        actionsAddCloseFrom = bind(linker, libc, "posix_spawn_file_actions_addclosefrom_np", INT, POINTER, INT);
        Linker.Option errno = Linker.Option.captureCallState(ERRNO);
        waitpid = linker.downcallHandle(find(libc, "waitpid"), FunctionDescriptor.of(INT, INT, POINTER, INT),
                errno);
        strerror = bind(linker, libc, "strerror", POINTER, INT);
        captureStateLayout = Linker.Option.captureStateLayout();
        capturedErrno = captureStateLayout.varHandle(MemoryLayout.PathElement.groupElement(ERRNO));
    }

    /** The bound calls, or why they cannot be bound here. */
    static Binding bind() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
            return new Binding(Optional.empty(), Optional.of("not Linux on x86-64 or AArch64: " + os + " " + arch));
        }
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            find(libc, "gnu_get_libc_version");
            return new Binding(Optional.of(new LibcSpawnCalls(linker, libc)), Optional.empty());
        } catch (NoSuchElementException | IllegalCallerException | UnsupportedOperationException e) {
            // IllegalCallerException: native access is not enabled for this module (--enable-native-access).
            return new Binding(Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    record Binding(Optional<LibcSpawnCalls> calls, Optional<String> unavailableBecause) {}

    int errno(MemorySegment captureState) {
        return (int) capturedErrno.get(captureState, 0L);
    }

    String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) strerror.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    private static MethodHandle bind(Linker linker, SymbolLookup libc, String name, MemoryLayout result,
            MemoryLayout... arguments) {
        return linker.downcallHandle(find(libc, name), FunctionDescriptor.of(result, arguments));
    }

    private static MemorySegment find(SymbolLookup libc, String name) {
        return libc.find(name).orElseThrow(() -> new NoSuchElementException("the C library has no " + name));
    }
}
