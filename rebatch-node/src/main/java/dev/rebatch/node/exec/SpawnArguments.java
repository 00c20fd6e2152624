package dev.rebatch.node.exec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;

/**
 * Everything one {@code posix_spawn} call reads, in native memory: the attributes and file actions to initialize,
 * the two signal sets, the slot for the child's pid, and the C strings (program, argv, envp, the paths the child
 * opens and enters).
 *
 * <p>All of it is carved out of one block of the spawn's arena: one allocation per spawn, not one per string. A
 * task's environment has dozens of variables, and allocating and freeing each string on its own was a large part of
 * the spawner's Java time in a 20,000-task run.
 */
record SpawnArguments(MemorySegment attributes, MemorySegment actions, MemorySegment noSignals,
                      MemorySegment allSignals, MemorySegment pidOut, MemorySegment program, MemorySegment argv,
                      MemorySegment envp, MemorySegment devNull, MemorySegment stdout, MemorySegment stderr,
                      MemorySegment workingDir) {

    static final String DEV_NULL = "/dev/null";
    private static final long STRUCT_ALIGNMENT = 16;

    /**
     * Writes the request into one block of {@code arena}; the segments live as long as the arena.
     *
     * @throws SpawnFailedException when a string holds a NUL, which would silently cut it short in C (the JDK
     *                              refuses it too)
     */
    static SpawnArguments carve(Arena arena, SpawnRequest request) throws SpawnFailedException {
        List<String> environment = environment(request.environment());
        SegmentAllocator block = SegmentAllocator.slicingAllocator(
                arena.allocate(bytesNeeded(request, environment), STRUCT_ALIGNMENT));
        return new SpawnArguments(
                block.allocate(LibcSpawnCalls.ATTR_BYTES, STRUCT_ALIGNMENT),
                block.allocate(LibcSpawnCalls.FILE_ACTIONS_BYTES, STRUCT_ALIGNMENT),
                block.allocate(LibcSpawnCalls.SIGSET_BYTES, STRUCT_ALIGNMENT),
                block.allocate(LibcSpawnCalls.SIGSET_BYTES, STRUCT_ALIGNMENT),
                block.allocate(ValueLayout.JAVA_INT),
                cString(block, request.command().get(0)),
                cStrings(block, request.command()),
                cStrings(block, environment),
                cString(block, DEV_NULL),
                cString(block, request.stdout().toString()),
                cString(block, request.stderr().toString()),
                cString(block, request.workingDir().toString()));
    }

    /**
     * An upper bound of what {@link #carve} takes: the structures, each string (at most three UTF-8 bytes per Java
     * char, and its NUL), the two pointer arrays, and alignment padding for every piece.
     */
    private static long bytesNeeded(SpawnRequest request, List<String> environment) {
        long bytes = LibcSpawnCalls.ATTR_BYTES + LibcSpawnCalls.FILE_ACTIONS_BYTES + 2 * LibcSpawnCalls.SIGSET_BYTES
                + Integer.BYTES;
        long pieces = 5;
        List<String> paths = List.of(DEV_NULL, request.stdout().toString(), request.stderr().toString(),
                request.workingDir().toString(), request.command().get(0));
        for (List<String> strings : List.of(paths, request.command(), environment)) {
            for (String string : strings) {
                bytes += 3L * string.length() + 1;
                pieces++;
            }
        }
        bytes += ValueLayout.ADDRESS.byteSize() * (request.command().size() + 1L + environment.size() + 1L);
        pieces += 2;
        return bytes + STRUCT_ALIGNMENT * pieces;
    }

    private static List<String> environment(Map<String, String> environment) {
        return environment.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList();
    }

    /** A NULL-terminated array of C strings, as argv and envp are. */
    private static MemorySegment cStrings(SegmentAllocator block, List<String> strings) throws SpawnFailedException {
        MemorySegment array = block.allocate(ValueLayout.ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, cString(block, strings.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    private static MemorySegment cString(SegmentAllocator block, String string) throws SpawnFailedException {
        if (string.indexOf('\0') >= 0) {
            throw new SpawnFailedException(FailureInfo.launchFailed("invalid null character in command"));
        }
        return block.allocateFrom(string);
    }
}
