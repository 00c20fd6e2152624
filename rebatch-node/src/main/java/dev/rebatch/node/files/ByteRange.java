package dev.rebatch.node.files;

import dev.rebatch.model.BatchErrorCode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte range of a file, as the {@code ocp-range} header asks for it ({@code bytes=startRange-endRange}, both
 * inclusive). Three forms, as in HTTP ranges: {@code bytes=0-99}, {@code bytes=100-} (to the end) and
 * {@code bytes=-500} (the last 500 bytes, useful to tail a growing stdout.txt). Where the range falls is decided
 * against the file's size when it is read, since a running task's output keeps growing.
 *
 * @param first the first byte, or {@code null} for a suffix range
 * @param last  the last byte (for a suffix range: how many bytes), or {@code null} for "to the end"
 */
public record ByteRange(Long first, Long last) {

    private static final Pattern HEADER = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    public ByteRange {
        if (first == null && last == null) {
            throw new IllegalArgumentException("A byte range needs a start, an end, or both");
        }
        if ((first != null && first < 0) || (last != null && last < 0)) {
            throw new IllegalArgumentException("Byte positions are not negative: " + first + "-" + last);
        }
    }

    public static ByteRange of(long first, long last) {
        return new ByteRange(first, last);
    }

    public static ByteRange from(long first) {
        return new ByteRange(first, null);
    }

    public static ByteRange lastBytes(long count) {
        return new ByteRange(null, count);
    }

    /**
     * Reads an {@code ocp-range} value.
     *
     * @throws TaskFileException InvalidHeaderValue when it is not one of the three forms (several ranges are not
     *                           supported); InvalidRange when its end comes before its start
     */
    public static ByteRange parse(String header) {
        Matcher matcher = HEADER.matcher(header == null ? "" : header.trim());
        if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            throw new TaskFileException(BatchErrorCode.InvalidHeaderValue,
                    "The value for the ocp-range header is not valid: expected bytes=start-end, bytes=start- or"
                            + " bytes=-count, got: " + header);
        }
        Long first = matcher.group(1).isEmpty() ? null : Long.valueOf(matcher.group(1));
        Long last = matcher.group(2).isEmpty() ? null : Long.valueOf(matcher.group(2));
        if (first != null && last != null && last < first) {
            throw new TaskFileException(BatchErrorCode.InvalidRange,
                    "The range specified is invalid for the current size of the resource: " + header);
        }
        return new ByteRange(first, last);
    }

    /**
     * The first byte and how many bytes, for a file of {@code size} bytes; an end past the file is cut to the file.
     *
     * @throws TaskFileException InvalidRange when no byte of the range is in the file
     */
    Slice within(long size) {
        long start;
        long end;
        if (first == null) {
            start = Math.max(0, size - last);
            end = size - 1;
            if (last == 0) {
                throw unsatisfiable(size);
            }
        } else {
            start = first;
            end = last == null ? size - 1 : Math.min(last, size - 1);
        }
        if (start >= size) {
            throw unsatisfiable(size);
        }
        return new Slice(start, end - start + 1);
    }

    private TaskFileException unsatisfiable(long size) {
        return new TaskFileException(BatchErrorCode.InvalidRange,
                "The range specified is invalid for the current size of the resource: bytes="
                        + (first == null ? "" : first) + "-" + (last == null ? "" : last) + " of " + size + " bytes.");
    }

    /** A resolved range: {@code length} bytes from {@code start}. */
    record Slice(long start, long length) {}

    @Override
    public String toString() {
        return "bytes=" + (first == null ? "" : first) + "-" + (last == null ? "" : last);
    }
}
