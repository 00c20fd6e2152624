package dev.rebatch.node.files;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.node.NodeLayout;
import dev.rebatch.node.TaskKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The task file operations of the Batch API, on this node's task directories: list (File_ListFromTask), properties
 * (File_GetPropertiesFromTask), read with a byte range (File_GetFromTask) and delete (File_DeleteFromTask).
 *
 * <p>A file path is relative to the task directory, names separated by {@code /} ({@code stdout.txt},
 * {@code wd/out.csv}). Nothing outside the task directory is ever reached:
 *
 * <ul>
 *   <li>an absolute path, a {@code ..} name, an empty path or a NUL character is refused with InvalidInput;</li>
 *   <li>a path that leads outside through a symbolic link (at any level) is refused with FileNotFound, as if it did
 *       not exist, and a listing leaves such links out;</li>
 *   <li>links that stay inside are followed for reading and listing, but a listing never descends into a linked
 *       directory, and a delete removes the link, not what it points to.</li>
 * </ul>
 *
 * Errors are {@link TaskFileException}s carrying the Batch error code to answer with. The check and the open are
 * two steps; a task that swaps a directory for a link in between could still redirect a read, which is why the
 * last step opens without following links.
 */
public final class TaskFiles {

    static final String CONTENT_TYPE = "application/octet-stream";

    private final NodeLayout layout;
    private final Predicate<TaskKey> cleanedUp;

    /**
     * @param cleanedUp whether a task's files were removed after its retention time (typically
     *                  {@code RetentionSweeper::isCleanedUp}); those answer TaskFilesCleanedup
     */
    public TaskFiles(NodeLayout layout, Predicate<TaskKey> cleanedUp) {
        this.layout = Objects.requireNonNull(layout);
        this.cleanedUp = Objects.requireNonNull(cleanedUp);
    }

    /**
     * The task's files and directories, sorted by name.
     *
     * @param recursive {@code false}: the task directory's own entries ({@code stdout.txt}, {@code stderr.txt},
     *                  {@code wd}); {@code true}: everything under it
     */
    public List<NodeFile> list(TaskKey task, boolean recursive) {
        Path root = taskDir(task);
        Path realRoot = realPath(root);
        List<NodeFile> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), recursive ? Integer.MAX_VALUE : 1,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                            if (!dir.equals(root)) {
                                add(dir);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            add(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException failure) {
                            // Gone or unreadable meanwhile (the task is still working): list what can be listed.
                            return FileVisitResult.CONTINUE;
                        }

                        private void add(Path path) {
                            NodeFile file = describe(realRoot, root, path);
                            if (file != null) {
                                files.add(file);
                            }
                        }
                    });
        } catch (IOException e) {
            throw new TaskFileException(BatchErrorCode.TaskFilesUnavailable,
                    "The files of task " + task + " cannot be listed: " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(NodeFile::name));
        return files;
    }

    /** One file's or directory's name and properties. */
    public NodeFile properties(TaskKey task, String filePath) {
        Path root = taskDir(task);
        Path path = resolve(task, root, filePath);
        NodeFile file = describe(realPath(root), root, path);
        if (file == null) {
            throw notFound(task, filePath);
        }
        return file;
    }

    /**
     * Opens a file's content, or the part {@code range} selects ({@code null}: all of it). Works while the task is
     * still writing the file: the content is the file as it is at this moment.
     *
     * @throws TaskFileException FileNotFound, InvalidInput for a directory or a refused path, InvalidRange when the
     *                           range has no byte in the file
     */
    public FileContent read(TaskKey task, String filePath, ByteRange range) {
        Path root = taskDir(task);
        Path path = resolve(task, root, filePath);
        if (Files.isDirectory(path)) {
            throw new TaskFileException(BatchErrorCode.InvalidInput,
                    "The path " + filePath + " is a directory; only a file's content can be read.");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path.toRealPath(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(task, filePath);
        } catch (IOException e) {
            throw new TaskFileException(BatchErrorCode.TaskFilesUnavailable,
                    "The file " + filePath + " of task " + task + " cannot be read: " + e.getMessage(), e);
        }
        try {
            long size = channel.size();
            NodeFile file = describe(realPath(root), root, path);
            if (file == null) {
                throw notFound(task, filePath);
            }
            // The size the bytes are cut to is the open channel's, so the properties must say the same.
            file = new NodeFile(file.name(), false, new FileProperties(file.properties().creationTime(),
                    file.properties().lastModified(), size, CONTENT_TYPE, file.properties().fileMode()));
            ByteRange.Slice slice = range == null ? new ByteRange.Slice(0, size) : range.within(size);
            return new FileContent(file, slice.start(), slice.length(), channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TaskFileException(BatchErrorCode.TaskFilesUnavailable,
                    "The file " + filePath + " of task " + task + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a file, or a directory: an empty one, or with {@code recursive} everything in it.
     *
     * @throws TaskFileException OperationInvalidForCurrentState for a non-empty directory without {@code recursive}
     */
    public void delete(TaskKey task, String filePath, boolean recursive) {
        Path root = taskDir(task);
        Path path = resolve(task, root, filePath);
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && recursive) {
                FileTreeDeleter.deleteTree(path);
            } else {
                Files.delete(path);
            }
        } catch (NoSuchFileException e) {
            throw notFound(task, filePath);
        } catch (DirectoryNotEmptyException e) {
            throw new TaskFileException(BatchErrorCode.OperationInvalidForCurrentState,
                    "The directory " + filePath + " is not empty; delete it with recursive=true to delete its content"
                            + " too.");
        } catch (IOException e) {
            throw new TaskFileException(BatchErrorCode.TaskFilesUnavailable,
                    "The file " + filePath + " of task " + task + " cannot be deleted: " + e.getMessage(), e);
        }
    }

    private Path taskDir(TaskKey task) {
        if (cleanedUp.test(task)) {
            throw new TaskFileException(BatchErrorCode.TaskFilesCleanedup,
                    "The files of task " + task + " have been cleaned up after its retention time.");
        }
        Path dir = layout.taskDir(task);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new TaskFileException(BatchErrorCode.TaskFilesUnavailable,
                    "Task " + task + " has no files on this node.");
        }
        return dir;
    }

    /**
     * The path a client's file path names, after every check: relative, no {@code ..}, and (links followed) still in
     * the task directory. The returned path is not resolved through links, so a delete removes a link itself.
     */
    private static Path resolve(TaskKey task, Path root, String filePath) {
        if (filePath == null || filePath.isEmpty() || filePath.indexOf('\0') >= 0) {
            throw invalidPath(filePath, "a file path must name a file in the task directory");
        }
        if (filePath.startsWith("/")) {
            throw invalidPath(filePath, "a file path is relative to the task directory");
        }
        Path path = root;
        for (String name : filePath.split("/")) {
            if (name.equals("..")) {
                throw invalidPath(filePath, "a file path may not contain '..'");
            }
            if (!name.isEmpty() && !name.equals(".")) {
                path = path.resolve(name);
            }
        }
        if (path.equals(root)) {
            throw invalidPath(filePath, "a file path must name a file in the task directory, not the directory");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound(task, filePath);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            // A dangling link, or it vanished: nothing there to serve.
            throw notFound(task, filePath);
        }
        if (!real.startsWith(realPath(root))) {
            throw new TaskFileException(BatchErrorCode.FileNotFound,
                    "The file " + filePath + " of task " + task + " leads outside the task directory.");
        }
        return path;
    }

    /**
     * A path as a NodeFile, following a link that stays inside the task directory; {@code null} for a link that
     * leads outside or nowhere, or for something that vanished meanwhile.
     */
    private static NodeFile describe(Path realRoot, Path root, Path path) {
        try {
            if (Files.isSymbolicLink(path) && !path.toRealPath().startsWith(realRoot)) {
                return null;
            }
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
            String name = root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
            boolean directory = attributes.isDirectory();
            FileProperties properties = new FileProperties(attributes.creationTime().toInstant(),
                    attributes.lastModifiedTime().toInstant(), directory ? 0 : attributes.size(),
                    directory ? null : CONTENT_TYPE, fileMode(path, attributes));
            return new NodeFile(name, directory, properties);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code stat}'s st_mode in octal: the unix view has it whole; otherwise type and permission bits suffice. */
    private static String fileMode(Path path, PosixFileAttributes attributes) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            if (mode instanceof Integer bits) {
                return "0" + Integer.toOctalString(bits);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // Fall through to what the POSIX view knows.
        }
        int bits = attributes.isDirectory() ? 0040000 : attributes.isSymbolicLink() ? 0120000 : 0100000;
        for (PosixFilePermission permission : attributes.permissions()) {
            bits |= 1 << (8 - permission.ordinal());
        }
        return "0" + Integer.toOctalString(bits);
    }

    private static Path realPath(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new TaskFileException(BatchErrorCode.TaskFilesUnavailable,
                    "The task directory " + root + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static TaskFileException invalidPath(String filePath, String why) {
        return new TaskFileException(BatchErrorCode.InvalidInput,
                "The file path '" + filePath + "' is not valid: " + why + ".");
    }

    private static TaskFileException notFound(TaskKey task, String filePath) {
        return new TaskFileException(BatchErrorCode.FileNotFound,
                "The specified file " + filePath + " does not exist in task " + task + ".");
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already failing; the first error is the one to report.
        }
    }
}
