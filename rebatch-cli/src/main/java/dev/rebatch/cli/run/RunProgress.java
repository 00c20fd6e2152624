package dev.rebatch.cli.run;

import dev.rebatch.client.TaskCountsSnapshot;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how a run is going, told after every poll of the task counts: a live progress bar on a terminal, a plain
 * line every few seconds otherwise (a log, a pipe, CI), or nothing.
 */
public interface RunProgress extends AutoCloseable {

    /**
     * The counts after a poll, the retries and requeues so far, and a notice to show with them (such as "pool p has
     * no compute nodes yet"), or null.
     */
    void update(TaskCountsSnapshot counts, long retries, long requeues, String notice);

    /** The waiting is over: finish the display (the summary follows). */
    @Override
    void close();

    /** Shows nothing. */
    RunProgress NONE = new RunProgress() {
        @Override
        public void update(TaskCountsSnapshot counts, long retries, long requeues, String notice) {}

        @Override
        public void close() {}
    };

    /** "4500/10000 done (4480 succeeded, 20 failed), 12 active, 4 running, 7 retries, 0 requeues". */
    static String describe(TaskCountsSnapshot counts, long retries, long requeues, String notice) {
        return counts.completed() + "/" + counts.total() + " done (" + counts.succeeded() + " succeeded, "
                + counts.failed() + " failed), " + counts.active() + " active, " + counts.running() + " running, "
                + retries + (retries == 1 ? " retry, " : " retries, ") + requeues
                + (requeues == 1 ? " requeue" : " requeues") + (notice == null ? "" : "; " + notice);
    }

    /** A plain line at the first poll, then at most every {@code every}, and the last state when it closes. */
    final class Plain implements RunProgress {

        private final PrintWriter out;
        private final Duration every;
        private final LongSupplier nanoTime;
        private long printedAt;
        private boolean printedAny;
        private String last;
        private String lastPrinted;

        public Plain(PrintWriter out, Duration every, LongSupplier nanoTime) {
            this.out = out;
            this.every = every;
            this.nanoTime = nanoTime;
        }

        @Override
        public void update(TaskCountsSnapshot counts, long retries, long requeues, String notice) {
            last = "  " + Durations.human(counts.elapsed()) + ": " + describe(counts, retries, requeues, notice);
            long now = nanoTime.getAsLong();
            if (!printedAny || now - printedAt >= every.toNanos()) {
                print(last);
                printedAt = now;
                printedAny = true;
            }
        }

        @Override
        public void close() {
            if (last != null && !last.equals(lastPrinted)) {
                print(last);
            }
        }

        private void print(String line) {
            out.println(line);
            out.flush();
            lastPrinted = line;
        }
    }

    /**
     * The live bar (me.tongfei:progressbar, which asks JLine for the terminal's width) on stderr: done/total, the
     * time, and the counts after it.
     */
    final class Bar implements RunProgress {

        private final ProgressBar bar;

        public Bar(long total) {
            bar = ProgressBar.builder()
                    .setTaskName("")
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(200)
                    .continuousUpdate()
                    .build();
        }

        @Override
        public void update(TaskCountsSnapshot counts, long retries, long requeues, String notice) {
            if (counts.total() != bar.getMax()) {
                bar.maxHint(counts.total());
            }
            bar.stepTo(counts.completed());
            // Short, so that the bar keeps some width: done/total is already beside it, so "succeeded" is too.
            bar.setExtraMessage("active " + counts.active() + ", running " + counts.running() + ", failed "
                    + counts.failed() + ", retries " + retries + ", requeues " + requeues
                    + (notice == null ? "" : "; " + notice));
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
