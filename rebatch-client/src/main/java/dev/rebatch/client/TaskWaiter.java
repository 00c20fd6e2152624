package dev.rebatch.client;

import dev.rebatch.retry.RetryHandler;
import dev.rebatch.retry.time.TimeSource;
import java.time.Duration;

/**
 * Polls a job's task counts until no task is active or running. The wait between polls starts short (tasks that
 * take milliseconds are seen at once) and grows by half while nothing changes. While tasks complete, it is a quarter
 * of the time the rest should take at the rate seen since the last poll (never shorter than the first wait nor
 * longer than the longest): a count reads every task of the job, so a big job is polled a few dozen times rather
 * than ten times a second, and its end is still seen within about the first wait. Each poll is a call through the
 * retry handler; waiting uses the handler's time source, so tests run on a virtual clock.
 */
final class TaskWaiter {

    private final JobOperations jobs;
    private final TimeSource time;

    TaskWaiter(JobOperations jobs, RetryHandler handler) {
        this.jobs = jobs;
        this.time = handler.timeSource();
    }

    TaskCountsSnapshot waitForTasks(String jobId, WaitOptions options) {
        long start = time.nanoTime();
        Duration pause = options.firstPoll();
        TaskCountsSnapshot previous = null;
        while (true) {
            Duration elapsed = Duration.ofNanos(time.nanoTime() - start);
            TaskCountsSnapshot counts = TaskCountsSnapshot.of(jobs.taskCounts(jobId).taskCounts(), elapsed);
            options.progress().accept(counts);
            if (counts.allCompleted()) {
                return counts;
            }
            Duration left = options.deadline().minus(elapsed);
            if (left.isNegative() || left.isZero()) {
                throw new WaitTimeoutException(jobId, counts);
            }
            pause = counts.equals(withElapsed(previous, elapsed)) ? grow(pause, options.maxPoll())
                    : paced(previous, counts, options);
            previous = counts;
            try {
                time.sleep(pause.compareTo(left) < 0 ? pause : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the tasks of job " + jobId, e);
            }
        }
    }

    /** {@code counts} as if taken at {@code elapsed}, to compare counts alone. */
    private static TaskCountsSnapshot withElapsed(TaskCountsSnapshot counts, Duration elapsed) {
        return counts == null ? null : new TaskCountsSnapshot(counts.active(), counts.running(), counts.completed(),
                counts.succeeded(), counts.failed(), elapsed);
    }

    /** After a change: a quarter of the time left at the completion rate since {@code previous}, within bounds. */
    private static Duration paced(TaskCountsSnapshot previous, TaskCountsSnapshot counts, WaitOptions options) {
        if (previous == null || counts.completed() <= previous.completed()) {
            return options.firstPoll();
        }
        long between = counts.elapsed().minus(previous.elapsed()).toNanos();
        double nanosPerTask = (double) between / (counts.completed() - previous.completed());
        Duration quarterOfTheRest = Duration.ofNanos((long) (nanosPerTask * (counts.active() + counts.running()) / 4));
        if (quarterOfTheRest.compareTo(options.firstPoll()) < 0) {
            return options.firstPoll();
        }
        return quarterOfTheRest.compareTo(options.maxPoll()) > 0 ? options.maxPoll() : quarterOfTheRest;
    }

    private static Duration grow(Duration pause, Duration max) {
        Duration grown = pause.plus(pause.dividedBy(2));
        return grown.compareTo(max) > 0 ? max : grown;
    }
}
