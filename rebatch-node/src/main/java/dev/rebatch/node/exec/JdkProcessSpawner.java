package dev.rebatch.node.exec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts processes with the JDK's {@link ProcessBuilder}, through util-linux {@code setsid} so that the process
 * leads its own session and group. Without setsid (not Linux) the command runs as it is, in the agent's group, and
 * only its descendants can be found when it is ended.
 */
final class JdkProcessSpawner implements ProcessSpawner {

    static final JdkProcessSpawner INSTANCE = new JdkProcessSpawner();

    private static final File NO_INPUT = new File("/dev/null");
    private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of)
            .filter(Files::isExecutable).findFirst();

    private JdkProcessSpawner() {}

    @Override
    public SpawnedProcess spawn(SpawnRequest request) throws SpawnFailedException {
        ProcessBuilder builder = new ProcessBuilder(inOwnProcessGroup(request.command()))
                .directory(request.workingDir().toFile())
                .redirectInput(NO_INPUT)
                .redirectOutput(request.stdout().toFile())
                .redirectError(request.stderr().toFile());
        builder.environment().clear();
        builder.environment().putAll(request.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw SpawnFailedException.forErrno(errnoOf(e), String.valueOf(e.getMessage()));
        }
        return SpawnedProcess.of(process.toHandle(), process.onExit().thenApply(Process::exitValue));
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public String name() {
        return SETSID.isPresent() ? "ProcessBuilder + setsid" : "ProcessBuilder";
    }

    /**
     * The command that runs {@code command} as the leader of a new session and process group. {@code setsid} calls
     * setsid(2) and execs the program in the same process (a child of the JVM is never a group leader, so it need
     * not fork): the root's pid is the program's, and so is its exit code.
     */
    private static List<String> inOwnProcessGroup(List<String> command) {
        if (SETSID.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.get().toString());
        wrapped.addAll(command);
        return wrapped;
    }

    /** The JDK reports the errno only in the message, as "error=N, text"; 0 when there is none. */
    private static int errnoOf(IOException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("error=");
        if (at < 0) {
            return 0;
        }
        int end = message.indexOf(',', at);
        try {
            return Integer.parseInt(message.substring(at + "error=".length(), end < 0 ? message.length() : end));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }
}
