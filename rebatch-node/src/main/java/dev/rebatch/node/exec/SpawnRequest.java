package dev.rebatch.node.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ProcessSpawner} starts: the program (an absolute path, already looked up) and its arguments, run in
 * {@code workingDir} with exactly {@code environment}, stdin from /dev/null and stdout and stderr truncated into the
 * two files, as the leader of a new session and process group.
 */
public record SpawnRequest(List<String> command, Path workingDir, Map<String, String> environment, Path stdout, Path stderr) {

    public SpawnRequest {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("A command needs at least its program");
        }
    }
}
