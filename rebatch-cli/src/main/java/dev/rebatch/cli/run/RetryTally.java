package dev.rebatch.cli.run;

import dev.rebatch.client.ListOptions;
import dev.rebatch.client.TaskCountsSnapshot;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.TaskExecutionInformation;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The retries and requeues of a job's tasks so far, for the progress display. Task counts do not carry them, so they
 * come from listing the tasks ({@code $select=id,lastModified,executionInfo}), kept cheap three ways:
 * <ul>
 *   <li>only when the counts changed since the last listing (a retry or requeue moves a task back to active);
 *   <li>at most every {@link #MIN_INTERVAL}, and never more than a tenth of the time (a slow listing of many tasks
 *       spaces the next one out), except for the last time, when every task has completed;
 *   <li>after the first listing, only the tasks modified since the newest change seen (minus a
 *       {@link #OVERLAP} for writes still committing), by {@code $filter=lastModified ge datetime'...'}. A service
 *       that refuses that filter gets the whole list each time.
 * </ul>
 * A listing that fails leaves the numbers as they were: they are a display, not the result.
 */
public final class RetryTally {

    public static final Duration MIN_INTERVAL = Duration.ofSeconds(2);
    static final Duration OVERLAP = Duration.ofSeconds(5);
    static final String SELECT = "id,lastModified,executionInfo";

    private final Function<ListOptions, Stream<CloudTask>> lister;
    private final LongSupplier nanoTime;
    private final Map<String, int[]> byTask = new HashMap<>();
    private long retries;
    private long requeues;
    private Instant newestChange;
    private boolean incremental = true;
    private boolean listed;
    private long lastListedAt;
    private long lastListingNanos;
    private TaskCountsSnapshot countsAtListing;

    /**
     * @param lister   lists the job's tasks with the given options ({@code tasks().list(jobId, options)})
     * @param nanoTime the clock that spaces listings out
     */
    public RetryTally(Function<ListOptions, Stream<CloudTask>> lister, LongSupplier nanoTime) {
        this.lister = Objects.requireNonNull(lister, "lister");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Told every poll of the counts: lists the tasks when the counts changed and the last listing is old enough, and
     * always once all tasks are completed, so that the last progress line agrees with the summary.
     */
    public void update(TaskCountsSnapshot counts) {
        if (listed && sameCounts(counts, countsAtListing)) {
            return;
        }
        long now = nanoTime.getAsLong();
        long spacing = Math.max(MIN_INTERVAL.toNanos(), 10 * lastListingNanos);
        if (listed && now - lastListedAt < spacing && !counts.allCompleted()) {
            return;
        }
        countsAtListing = counts;
        refresh();
    }

    /** Lists the tasks now (the changed ones, after the first time). */
    public void refresh() {
        long started = nanoTime.getAsLong();
        ListOptions options = ListOptions.ALL.withSelect(SELECT).withMaxResults(1000);
        boolean sinceNewest = incremental && newestChange != null;
        if (sinceNewest) {
            Instant since = newestChange.minus(OVERLAP).truncatedTo(ChronoUnit.SECONDS);
            options = options.withFilter("lastModified ge datetime'" + DateTimeFormatter.ISO_INSTANT.format(since)
                    + "'");
        }
        try {
            try (Stream<CloudTask> tasks = lister.apply(options)) {
                tasks.forEach(this::record);
            }
        } catch (BatchServiceException refused) {
            if (sinceNewest && refused.statusCode() == 400) {
                incremental = false; // the service does not filter on lastModified: list everything from now on
                refresh();
                return;
            }
        } catch (BatchException | IllegalStateException failed) {
            // keep the numbers of the last listing
        } finally {
            listed = true;
            lastListedAt = nanoTime.getAsLong();
            lastListingNanos = lastListedAt - started;
        }
    }

    public long retries() {
        return retries;
    }

    public long requeues() {
        return requeues;
    }

    private void record(CloudTask task) {
        if (task.id() == null) {
            return;
        }
        TaskExecutionInformation execution = task.executionInfo();
        int[] now = {execution == null ? 0 : execution.retryCount(), execution == null ? 0 : execution.requeueCount()};
        int[] before = byTask.put(task.id(), now);
        retries += now[0] - (before == null ? 0 : before[0]);
        requeues += now[1] - (before == null ? 0 : before[1]);
        if (task.lastModified() != null && (newestChange == null || task.lastModified().isAfter(newestChange))) {
            newestChange = task.lastModified();
        }
    }

    private static boolean sameCounts(TaskCountsSnapshot a, TaskCountsSnapshot b) {
        return b != null && a.active() == b.active() && a.running() == b.running() && a.completed() == b.completed()
                && a.succeeded() == b.succeeded() && a.failed() == b.failed();
    }
}
