package dev.rebatch.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link TaskOperations#waitForTasks} waits.
 *
 * @param deadline     give up after this long
 * @param firstPoll    the wait after the first poll, and the shortest; it grows by half at each poll that sees no
 *                     change, and while tasks complete it is a quarter of the time the rest should take
 * @param maxPoll      the longest wait between polls
 * @param progress     told the counts after every poll (the progress bar of {@code rebatch run} listens here)
 */
public record WaitOptions(Duration deadline, Duration firstPoll, Duration maxPoll,
        Consumer<TaskCountsSnapshot> progress) {

    public static final WaitOptions DEFAULTS = new WaitOptions(Duration.ofHours(24), Duration.ofMillis(100),
            Duration.ofSeconds(5), counts -> { });

    public WaitOptions {
        requirePositive(deadline, "deadline");
        requirePositive(firstPoll, "firstPoll");
        requirePositive(maxPoll, "maxPoll");
        Objects.requireNonNull(progress, "progress");
    }

    public WaitOptions withDeadline(Duration newDeadline) {
        return new WaitOptions(newDeadline, firstPoll, maxPoll, progress);
    }

    public WaitOptions withPolling(Duration newFirstPoll, Duration newMaxPoll) {
        return new WaitOptions(deadline, newFirstPoll, newMaxPoll, progress);
    }

    public WaitOptions withProgress(Consumer<TaskCountsSnapshot> newProgress) {
        return new WaitOptions(deadline, firstPoll, maxPoll, newProgress);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
