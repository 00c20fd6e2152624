package dev.rebatch.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The embedded store's data directory belongs to one service at a time, held through an OS file lock on
 * {@code rebatch.lock} in it for as long as the store is open. SQLite itself would let a second process open the
 * database, but the service assumes it is the only writer (it serializes writes in the JVM and wakes its waiting
 * lease calls in memory), and two services would each run local nodes for the same pools. The OS releases the lock
 * when its process dies, kill -9 included, so a crashed service never leaves the directory locked. The holder's pid
 * is written in the file, for the message the next one gets.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "rebatch.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the directory's lock.
     *
     * @throws DataDirectoryInUseException when another service (in this process or another) holds it
     */
    static DataDirectoryLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.US_ASCII).strip();
                channel.close();
                throw new DataDirectoryInUseException(dataDir, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock the data directory " + dataDir + " (" + file + ")", e);
        }
    }

    /** Releases the directory; the file stays, as a lock file left by a dead process holds nothing. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing more to release.
            }
        }
    }
}
