package dev.rebatch.node.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeDeleterTest {

    @TempDir
    Path temp;

    @Test
    void deletesATreeWithReadOnlyDirectoriesAndLinksWithoutFollowingThem() throws Exception {
        Path tree = Files.createDirectories(temp.resolve("task/wd/pkg/mod"));
        Files.writeString(tree.resolve("go.mod"), "module x\n");
        Path kept = Files.writeString(Files.createDirectory(temp.resolve("elsewhere")).resolve("keep"), "keep");
        Files.createSymbolicLink(temp.resolve("task/wd/link-to-dir"), temp.resolve("elsewhere"));
        Files.createSymbolicLink(temp.resolve("task/wd/link-to-file"), kept);
        // What Go's module cache does to its directories.
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(tree.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));

        FileTreeDeleter.deleteTree(temp.resolve("task"));

        assertThat(temp.resolve("task")).doesNotExist();
        assertThat(kept).hasContent("keep");
    }

    @Test
    void aMissingTreeIsNothingToDo() throws Exception {
        FileTreeDeleter.deleteTree(temp.resolve("never-made"));

        assertThat(temp).isEmptyDirectory();
    }
}
