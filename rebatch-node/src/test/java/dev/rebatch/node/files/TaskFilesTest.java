package dev.rebatch.node.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.TaskKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskFilesTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;
    private NodeLayout layout;
    private final Set<TaskKey> cleanedUp = new HashSet<>();
    private TaskFiles files;
    private final TaskKey task = new TaskKey("job-1", "task-1");
    private Path taskDir;

    @BeforeEach
    void aTaskThatRan() throws Exception {
        layout = new NodeLayout(root);
        files = new TaskFiles(layout, cleanedUp::contains);
        taskDir = layout.taskDir(task);
        Files.createDirectories(layout.workingDir(task).resolve("out"));
        Files.writeString(layout.stdout(task), "hello\n");
        Files.writeString(layout.stderr(task), "");
        Files.writeString(layout.workingDir(task).resolve("out.csv"), "a,b\n1,2\n");
        Files.writeString(layout.workingDir(task).resolve("out/part-0"), "0123456789");
        Files.writeString(outside.resolve("secret"), "not yours");
    }

    /** Links to outside the temporary directory: removed here (never followed), so JUnit need not warn about them. */
    @AfterEach
    void removeTheTask() throws Exception {
        FileTreeDeleter.deleteTree(taskDir);
        assertThat(outside.resolve("secret")).exists();
    }

    @Test
    void listsTheTaskDirectorysOwnEntries() {
        assertThat(files.list(task, false)).extracting(NodeFile::name, NodeFile::isDirectory).containsExactly(
                tuple("stderr.txt", false), tuple("stdout.txt", false), tuple("wd", true));
    }

    @Test
    void listsEverythingUnderItRecursivelyWithSlashes() {
        assertThat(files.list(task, true)).extracting(NodeFile::name).containsExactly("stderr.txt", "stdout.txt",
                "wd", "wd/out", "wd/out.csv", "wd/out/part-0");
    }

    @Test
    void describesAFileLikeTheSpecsFileProperties() throws Exception {
        Path csv = layout.workingDir(task).resolve("out.csv");
        Files.setLastModifiedTime(csv, FileTime.from(Instant.parse("2026-03-01T10:00:00Z")));
        Files.setPosixFilePermissions(csv, PosixFilePermissions.fromString("rw-r-----"));

        NodeFile file = files.properties(task, "wd/out.csv");

        assertThat(file.name()).isEqualTo("wd/out.csv");
        assertThat(file.isDirectory()).isFalse();
        assertThat(file.properties().contentLength()).isEqualTo(8);
        assertThat(file.properties().lastModified()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(file.properties().creationTime()).isNotNull();
        assertThat(file.properties().contentType()).isEqualTo("application/octet-stream");
        assertThat(file.properties().fileMode()).isEqualTo("0100640");

        NodeFile wd = files.properties(task, "wd");
        assertThat(wd.isDirectory()).isTrue();
        assertThat(wd.properties().contentLength()).isZero();
        assertThat(wd.properties().fileMode()).startsWith("040");
    }

    @Test
    void readsAWholeFileOrARange() throws Exception {
        try (FileContent whole = files.read(task, "wd/out/part-0", null)) {
            assertThat(new String(whole.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
            assertThat(whole.isPartial()).isFalse();
            assertThat(whole.file().properties().contentLength()).isEqualTo(10);
        }
        assertThat(read("wd/out/part-0", "bytes=2-4")).isEqualTo("234");
        assertThat(read("wd/out/part-0", "bytes=7-")).isEqualTo("789");
        assertThat(read("wd/out/part-0", "bytes=-3")).isEqualTo("789");
        assertThat(read("wd/out/part-0", "bytes=8-100")).isEqualTo("89");
        try (FileContent part = files.read(task, "wd/out/part-0", ByteRange.parse("bytes=2-4"))) {
            assertThat(part.start()).isEqualTo(2);
            assertThat(part.length()).isEqualTo(3);
            assertThat(part.isPartial()).isTrue();
        }
        assertRefused(() -> files.read(task, "wd/out/part-0", ByteRange.from(10)), BatchErrorCode.InvalidRange);
        assertRefused(() -> files.read(task, "wd/out", null), BatchErrorCode.InvalidInput);
        assertRefused(() -> files.read(task, "wd/nothing", null), BatchErrorCode.FileNotFound);
    }

    @Test
    void whatIsAppendedAfterOpeningBelongsToTheNextRead() throws Exception {
        Path growing = layout.stdout(task);
        try (FileContent content = files.read(task, "stdout.txt", null)) {
            Files.writeString(growing, "more\n", StandardOpenOption.APPEND);
            assertThat(new String(content.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        }
        assertThat(read("stdout.txt", "bytes=6-")).isEqualTo("more\n");
    }

    @Test
    void deletesFilesAndDirectories() throws Exception {
        files.delete(task, "wd/out.csv", false);
        assertThat(layout.workingDir(task).resolve("out.csv")).doesNotExist();

        assertRefused(() -> files.delete(task, "wd/out", false), BatchErrorCode.OperationInvalidForCurrentState);
        assertThat(layout.workingDir(task).resolve("out/part-0")).exists();

        files.delete(task, "wd/out", true);
        assertThat(layout.workingDir(task).resolve("out")).doesNotExist();

        Files.createDirectory(layout.workingDir(task).resolve("empty"));
        files.delete(task, "wd/empty", false);
        assertThat(layout.workingDir(task).resolve("empty")).doesNotExist();

        assertRefused(() -> files.delete(task, "wd/out.csv", false), BatchErrorCode.FileNotFound);
    }

    @Test
    void pathsThatClimbOutAreRefused() {
        for (String path : List.of("..", "../task-2/stdout.txt", "wd/../../../../../etc/passwd", "/etc/passwd",
                "wd/./../..", "", "wd/\0x")) {
            assertRefused(() -> files.read(task, path, null), BatchErrorCode.InvalidInput);
            assertRefused(() -> files.properties(task, path), BatchErrorCode.InvalidInput);
            assertRefused(() -> files.delete(task, path, true), BatchErrorCode.InvalidInput);
        }
        assertThat(layout.stdout(task)).exists();
    }

    @Test
    void linksThatLeadOutAreRefusedAndNotListed() throws Exception {
        Files.createSymbolicLink(layout.workingDir(task).resolve("secret"), outside.resolve("secret"));
        Files.createSymbolicLink(layout.workingDir(task).resolve("escape"), outside);
        Files.createSymbolicLink(layout.workingDir(task).resolve("root"), Path.of("/"));

        for (String path : List.of("wd/secret", "wd/escape/secret", "wd/root/etc/passwd", "wd/escape")) {
            assertRefused(() -> files.read(task, path, null), BatchErrorCode.FileNotFound);
            assertRefused(() -> files.properties(task, path), BatchErrorCode.FileNotFound);
            assertRefused(() -> files.delete(task, path, true), BatchErrorCode.FileNotFound);
        }
        assertThat(files.list(task, true)).extracting(NodeFile::name).doesNotContain("wd/secret", "wd/escape",
                "wd/escape/secret", "wd/root");
        assertThat(outside.resolve("secret")).hasContent("not yours");
    }

    @Test
    void linksThatStayInsideAreFollowedButNeverDeletedThrough() throws Exception {
        Files.createSymbolicLink(layout.workingDir(task).resolve("log"), layout.stdout(task));
        Files.createSymbolicLink(layout.workingDir(task).resolve("results"), layout.workingDir(task).resolve("out"));

        assertThat(read("wd/log", null)).isEqualTo("hello\n");
        assertThat(read("wd/results/part-0", null)).isEqualTo("0123456789");
        assertThat(files.list(task, true)).extracting(NodeFile::name).contains("wd/log", "wd/results")
                .doesNotContain("wd/results/part-0");

        files.delete(task, "wd/results", true);
        assertThat(layout.workingDir(task).resolve("results")).doesNotExist();
        assertThat(layout.workingDir(task).resolve("out/part-0")).exists();
    }

    @Test
    void aCleanedUpTaskSaysSo() {
        cleanedUp.add(task);

        assertRefused(() -> files.list(task, false), BatchErrorCode.TaskFilesCleanedup);
        assertRefused(() -> files.read(task, "stdout.txt", null), BatchErrorCode.TaskFilesCleanedup);
    }

    @Test
    void aTaskWithoutADirectoryHasNoFilesHere() {
        assertRefused(() -> files.list(new TaskKey("job-1", "never-ran"), false), BatchErrorCode.TaskFilesUnavailable);
    }

    private String read(String path, String range) throws Exception {
        try (FileContent content = files.read(task, path, range == null ? null : ByteRange.parse(range))) {
            return new String(content.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static void assertRefused(ThrowingCallable call, BatchErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TaskFileException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }
}
