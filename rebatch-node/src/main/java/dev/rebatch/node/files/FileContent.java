package dev.rebatch.node.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * An open file of a task, or part of it, to be streamed to a client. The bytes are fixed when it is opened: those
 * from {@link #start()} for {@link #length()} bytes of the file as it was then. A running task may go on writing;
 * what it appends later belongs to the next read, so the Content-Length sent first stays true. Close it (the stream
 * closes it too).
 */
public final class FileContent implements Closeable {

    private final NodeFile file;
    private final long start;
    private final long length;
    private final FileChannel channel;
    private final InputStream stream;

    FileContent(NodeFile file, long start, long length, FileChannel channel) {
        this.file = file;
        this.start = start;
        this.length = length;
        this.channel = channel;
        this.stream = new SliceStream();
    }

    /** The file's name and properties when it was opened; contentLength is the whole file's size then. */
    public NodeFile file() {
        return file;
    }

    /** The first byte served. */
    public long start() {
        return start;
    }

    /** How many bytes are served. */
    public long length() {
        return length;
    }

    /** Whether less than the whole file is served (a range was asked for). */
    public boolean isPartial() {
        return start != 0 || length != file.properties().contentLength();
    }

    /** The bytes, read lazily from the file; one stream per content. */
    public InputStream stream() {
        return stream;
    }

    /** Reads all of it: for small files and tests. */
    public byte[] readAllBytes() throws IOException {
        return stream.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Positional reads, so nothing (not even a task truncating the file) moves the window. */
    private final class SliceStream extends InputStream {

        private long position = start;
        private final long end = start + length;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            Objects.checkFromIndexSize(offset, count, buffer.length);
            if (count == 0) {
                return 0;
            }
            long remaining = end - position;
            if (remaining <= 0) {
                return -1;
            }
            int read = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(count, remaining)), position);
            if (read < 0) {
                // Truncated since it was opened: the client gets fewer bytes than announced and notices.
                position = end;
                return -1;
            }
            position += read;
            return read;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
