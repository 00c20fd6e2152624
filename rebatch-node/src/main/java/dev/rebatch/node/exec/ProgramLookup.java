package dev.rebatch.node.exec;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Finds the file a command line's first word names, as {@code execvp} would for the task: a word with a slash is a
 * path (relative ones from the working directory), any other word is looked up in the task's own PATH.
 *
 * <p>Java would search the agent's PATH, not the task's, and would report a missing program only as an
 * {@code IOException} message. Looking it up here uses the PATH the task set and tells "not found" apart from every
 * other launch failure, which is the difference between CommandProgramNotFound and CommandLaunchFailed.
 */
final class ProgramLookup {

    /** What the lookup found. */
    sealed interface Result {}

    /** An executable file, as an absolute path. */
    record Found(Path program) implements Result {}

    /** Nothing runnable; {@code why} says what was there instead. */
    record Missing(String why) implements Result {}

    private ProgramLookup() {}

    /**
     * @param searchPath the task's PATH (colon-separated; an empty entry means the working directory, as in execvp)
     */
    static Result find(String program, Path workingDir, String searchPath) {
        try {
            if (program.contains("/")) {
                return check(workingDir.resolve(program), program);
            }
            if (program.isEmpty()) {
                return new Missing("The command line's program is an empty word.");
            }
            String path = searchPath == null ? TaskEnvironment.DEFAULT_PATH : searchPath;
            Result firstMiss = null;
            for (String dir : path.split(":", -1)) {
                Path base = dir.isEmpty() ? workingDir : workingDir.resolve(dir);
                Result result = check(base.resolve(program), program);
                if (result instanceof Found) {
                    return result;
                }
                // A file that is there but not executable says more than "not found" (execvp reports EACCES too).
                if (firstMiss == null && Files.exists(base.resolve(program))) {
                    firstMiss = result;
                }
            }
            return firstMiss != null ? firstMiss
                    : new Missing("The program '" + program + "' is not in any directory of the task's PATH ("
                            + path + ").");
        } catch (InvalidPathException e) {
            return new Missing("The program '" + program + "' is not a valid path: " + e.getMessage());
        }
    }

    /**
     * A program named by a path (it has a slash), as the spawn will use it, without looking at the file: for a
     * spawner that refuses what it cannot execute ({@link ProcessSpawner#refusesMissingPrograms()}), where
     * {@link #find} is called only to explain a refusal, and a launch that succeeds makes none of its system calls.
     */
    static Result unchecked(String program, Path workingDir) {
        try {
            return new Found(workingDir.resolve(program).toAbsolutePath());
        } catch (InvalidPathException e) {
            return new Missing("The program '" + program + "' is not a valid path: " + e.getMessage());
        }
    }

    private static Result check(Path candidate, String program) {
        // Not normalized: "a/../b" must mean what the kernel makes of it when "a" is a link.
        Path absolute = candidate.toAbsolutePath();
        if (!Files.exists(absolute)) {
            return new Missing("The program '" + program + "' does not exist (" + absolute + ").");
        }
        if (Files.isDirectory(absolute)) {
            return new Missing("The program '" + program + "' is a directory (" + absolute + ").");
        }
        if (!Files.isExecutable(absolute)) {
            return new Missing("The program '" + program + "' is not executable (" + absolute + ").");
        }
        return new Found(absolute);
    }
}
