package dev.rebatch.node.exec;

import static dev.rebatch.node.exec.ProcessTests.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixSpawnTaskLauncherTest extends TaskLauncherContract {

    @Override
    ProcessSpawner spawner() {
        // Never silently the JDK's instead: PosixProcessSpawnerTest fails where this one would be missing.
        return PosixProcessSpawner.INSTANCE;
    }

    /**
     * A program named by a path is not looked at before the spawn (posix_spawn refuses what it cannot run); when the
     * file is there and executable, the refusal is reported as the spawn gave it, not as a missing file.
     */
    @Test
    void aScriptWhoseInterpreterIsMissingIsReportedAsTheSpawnRefusedIt(@TempDir Path scripts) throws Exception {
        Path script = scripts.resolve("orphan.sh");
        Files.writeString(script, "#!/no/such/interpreter\necho never\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        TaskOutcome outcome = await(launcher().launch(spec(script.toString())));

        assertThat(outcome.exitCode()).isNull();
        assertThat(outcome.failureInfo().code()).isEqualTo("CommandProgramNotFound");
        assertThat(outcome.failureInfo().details().get(0).value()).contains("error=2")
                .contains(script.toString()).doesNotContain("does not exist");
    }
}
