package dev.rebatch.node.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Set;

/**
 * Deletes a directory and everything in it, the way task directories need it:
 *
 * <ul>
 *   <li>symbolic links are deleted, never followed, so a link to {@code /} costs only the link;</li>
 *   <li>directories a task made read-only (Go's module cache does) are made writable by their owner first;</li>
 *   <li>files that vanish meanwhile (a task still cleaning up) are not an error.</li>
 * </ul>
 */
public final class FileTreeDeleter {

    private static final Set<PosixFilePermission> OWNER_ALL = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private FileTreeDeleter() {}

    /** Deletes {@code root} (a file, a link or a directory tree); nothing happens when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!Files.isWritable(dir) || !Files.isExecutable(dir)) {
                    makeOwnerWritable(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                if (failure instanceof AccessDeniedException && Files.isDirectory(file)) {
                    // Unreadable: make it readable and walk it on its own.
                    makeOwnerWritable(file);
                    deleteTree(file);
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null && !(failure instanceof NoSuchFileException)) {
                    throw failure;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void makeOwnerWritable(Path dir) throws IOException {
        try {
            Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(dir));
            permissions.addAll(OWNER_ALL);
            Files.setPosixFilePermissions(dir, permissions);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to fix, the delete will say what is wrong.
        }
    }
}
