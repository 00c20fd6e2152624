package dev.rebatch.server.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a Batch request may still take before it has changed anything: the spec's {@code timeout} query
 * parameter. The request pipeline begins one on the request's thread; the store checks it before every read and
 * before the request's first write, and throws {@link DeadlineExceededException} once it has passed.
 *
 * <p>Once a request has begun to write, its deadline no longer applies. Cutting it off later could leave an operation
 * of several writes half done (a job terminate marks the job, completes its tasks, then marks it completed), and its
 * answer would then not say what happened. So a request that timed out has stored nothing, and one that began writing
 * runs to its end and answers truthfully, however late.
 *
 * <p>Work on other threads (background deletes, the lease reaper) has no deadline.
 */
public final class RequestDeadline implements AutoCloseable {

    private static final ThreadLocal<RequestDeadline> CURRENT = new ThreadLocal<>();

    private final Instant deadline;
    private final Clock clock;
    private boolean writing;

    private RequestDeadline(Instant deadline, Clock clock) {
        this.deadline = deadline;
        this.clock = clock;
    }

    /** Starts the deadline of the request on this thread; {@link #close} (or {@link #end}) ends it. */
    public static RequestDeadline begin(Instant deadline, Clock clock) {
        RequestDeadline started = new RequestDeadline(deadline, clock);
        CURRENT.set(started);
        return started;
    }

    /** Ends the deadline of the request on this thread, if one was begun; threads are reused for other requests. */
    public static void end() {
        CURRENT.remove();
    }

    @Override
    public void close() {
        end();
    }

    /** Before a read: refused once the deadline has passed, unless the request already writes. */
    static void beforeRead() {
        RequestDeadline current = CURRENT.get();
        if (current != null && !current.writing) {
            current.requireTimeLeft();
        }
    }

    /**
     * How long a write may wait to begin (for the single writer), or {@code null} when it may wait as long as it
     * takes: there is no deadline, or the request already writes.
     */
    static Duration waitAllowedBeforeWrite() {
        RequestDeadline current = CURRENT.get();
        if (current == null || current.writing) {
            return null;
        }
        Duration left = Duration.between(current.clock.instant(), current.deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The first write is about to begin: refused once the deadline has passed; from now on none applies. */
    static void beforeWrite() {
        RequestDeadline current = CURRENT.get();
        if (current != null && !current.writing) {
            current.requireTimeLeft();
            current.writing = true;
        }
    }

    private void requireTimeLeft() {
        if (!clock.instant().isBefore(deadline)) {
            throw new DeadlineExceededException(deadline);
        }
    }
}
