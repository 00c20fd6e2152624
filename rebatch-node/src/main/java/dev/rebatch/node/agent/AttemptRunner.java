package dev.rebatch.node.agent;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.LeaseRefusedException;
import dev.rebatch.model.agent.AttemptCompleted;
import dev.rebatch.model.agent.AttemptStarted;
import dev.rebatch.model.agent.Lease;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.node.TaskKey;
import dev.rebatch.node.exec.CancelReason;
import dev.rebatch.node.exec.EnvironmentSetting;
import dev.rebatch.node.exec.RunningTask;
import dev.rebatch.node.exec.TaskLauncher;
import dev.rebatch.node.exec.TaskOutcome;
import dev.rebatch.node.exec.TaskSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each granted attempt: reads the lease into a {@link TaskSpec} and launches it, on the thread that received the
 * grant (the lease loop's, or the completion sender's for a completions answer); then, without a thread, hands its
 * completion to the {@link CompletionSender} when its process ends and forgets it once that is settled, so that the
 * lease calls list the attempt meanwhile. Starts are reported by
 * {@link #reportStartsDue}, for attempts still running after {@link #START_REPORT_DELAY}.
 *
 * <p>Why no thread per attempt: a launch is a few system calls, and a virtual thread per attempt that launched it and
 * then waited for its end (parking and waking two or three times, and a timer for the start report) cost more than
 * the launch itself on a node running hundreds of short tasks a second. Only an attempt that must wait for an earlier
 * process of its task to end gets a virtual thread, which waits and then launches it.
 */
final class AttemptRunner {

    private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

    /** A task that ends sooner is reported only by its completion (see {@link #reportStartsDue}). */
    static final Duration START_REPORT_DELAY = Duration.ofMillis(100);
    /** How often {@link #reportStartsDue} runs: a start is reported 100 to 150 ms after it. */
    static final Duration START_REPORT_SWEEP = Duration.ofMillis(50);

    private final BatchClient client;
    private final RequestOptions options;
    private final Attempts attempts;
    private final CompletionSender completions;
    private final StopSignal stop;
    private final Clock clock;
    /** The last process of each task on this node, across registrations: a new attempt waits for the old to end. */
    private final Map<TaskKey, RunningTask> live = new ConcurrentHashMap<>();

    AttemptRunner(BatchClient client, RequestOptions options, Attempts attempts, CompletionSender completions,
            StopSignal stop, Clock clock) {
        this.client = client;
        this.options = options;
        this.attempts = attempts;
        this.completions = completions;
        this.stop = stop;
        this.clock = clock;
    }

    /** Runs a grant of the lease call as {@code node}, with its launcher; a grant it runs already is ignored. */
    void grant(Lease lease, NodeRegistration node, TaskLauncher launcher) {
        Attempt attempt = new Attempt(lease.attempt(), lease.requiredSlots(), node);
        if (!attempts.add(attempt)) {
            return; // the same grant twice (a retried call whose first answer was lost): it runs once
        }
        log.debug("Granted {}", attempt);
        if (!run(attempt, lease, launcher, false)) {
            Thread.ofVirtual().name("rebatch-task-" + attempt.task).start(() -> run(attempt, lease, launcher, true));
        }
    }

    /** Waits up to {@code each} for every process still running here to end (the agent stops; they are ended). */
    void awaitProcessesEnded(Duration each) {
        for (RunningTask running : List.copyOf(live.values())) {
            awaitQuietly(running.outcome(), each);
        }
    }

    /**
     * Launches the attempt and arranges for its end. With {@code mayWait} false it never blocks: it returns false,
     * having done nothing, when the attempt must first wait for an earlier process of its task.
     */
    private boolean run(Attempt attempt, Lease lease, TaskLauncher taskLauncher, boolean mayWait) {
        boolean handedOver = false;
        try {
            TaskSpec spec;
            try {
                List<EnvironmentSetting> common = lease.job().commonEnvironmentSettings().stream()
                        .map(setting -> new EnvironmentSetting(setting.name(), setting.value())).toList();
                spec = TaskSpec.fromLease(attempt.id.jobId(), lease.task(), common);
            } catch (IllegalArgumentException | NullPointerException unreadable) {
                log.warn("Cannot run {}: {}", attempt, unreadable.getMessage());
                attempt.processGone();
                reportCompletion(attempt, OutcomeReports.unreadable(attempt.id.epoch(),
                        String.valueOf(unreadable.getMessage()), clock.instant()));
                handedOver = true;
                return true;
            }
            Launch launch = launch(attempt, spec, taskLauncher, mayWait);
            if (launch.mustWait()) {
                handedOver = true;
                return false;
            }
            RunningTask running = launch.running();
            if (running == null) {
                return true; // dropped before it started
            }
            attempt.launched(running);
            attempts.launched(attempt);
            running.outcome().whenComplete((outcome, failed) -> ended(attempt, outcome, failed));
            handedOver = true;
        } catch (RuntimeException unexpected) {
            log.warn("Attempt {} failed in the agent; the service requeues it when its lease lapses", attempt,
                    unexpected);
        } finally {
            if (!handedOver) {
                attempt.processGone();
                settle(attempt);
            }
        }
        return true;
    }

    /** What a launch came to: a running task, none (dropped before it started), or a wait it was not to make. */
    private record Launch(RunningTask running, boolean mustWait) {
        static final Launch DROPPED = new Launch(null, false);
        static final Launch MUST_WAIT = new Launch(null, true);
    }

    /** When the attempt's process has ended (on the thread that collected it: nothing here blocks). */
    private void ended(Attempt attempt, TaskOutcome outcome, Throwable failed) {
        attempt.processGone();
        if (failed != null) {
            log.warn("Attempt {} failed in the agent; the service requeues it when its lease lapses", attempt, failed);
            settle(attempt);
        } else if (attempt.dropped() || stop.stopping()) {
            settle(attempt);
        } else {
            try {
                reportCompletion(attempt, OutcomeReports.completed(attempt.id.epoch(), outcome));
            } catch (RuntimeException unexpected) {
                // Nobody would see it thrown here (a dependent stage), and a listed attempt's lease never lapses.
                log.warn("Attempt {} failed in the agent; the service requeues it when its lease lapses", attempt,
                        unexpected);
                settle(attempt);
            }
        }
    }

    /** The service no longer counts the attempt (or nobody is to tell it): it leaves the lease calls' list. */
    private void settle(Attempt attempt) {
        attempt.unlisted();
        attempts.forgetIfFinished(attempt);
    }

    /**
     * Reports the start of every attempt still running after {@link #START_REPORT_DELAY}, once each, each on a virtual
     * thread of its own; the agent calls this every {@link #START_REPORT_SWEEP}. A shorter task is reported only by its
     * completion, which carries its start time: its start report would have cost the service a call and a write for a
     * state ("running") it already shows from the grant.
     */
    void reportStartsDue() {
        for (Attempt attempt : attempts.claimStartReports(START_REPORT_DELAY)) {
            Thread.ofVirtual().name("rebatch-start-" + attempt.task).start(() -> reportStart(attempt));
        }
    }

    /**
     * Launches the attempt once no earlier process of the task runs here; without {@code mayWait}, says it must wait
     * instead of waiting.
     */
    private Launch launch(Attempt attempt, TaskSpec spec, TaskLauncher taskLauncher, boolean mayWait) {
        for (int round = 0; ; round++) {
            if (attempt.dropped() || stop.stopping()) {
                return Launch.DROPPED;
            }
            RunningTask earlier = live.get(attempt.task);
            if (earlier != null && !earlier.isDone()) {
                if (!mayWait) {
                    return Launch.MUST_WAIT;
                }
                earlier.outcome().join(); // an attempt cancelled earlier is still being ended
                continue;
            }
            try {
                RunningTask running = taskLauncher.launch(spec);
                live.put(attempt.task, running);
                running.outcome().whenComplete((outcome, error) -> live.remove(attempt.task, running));
                return new Launch(running, false);
            } catch (IllegalStateException stillThere) {
                if (!mayWait) {
                    return Launch.MUST_WAIT;
                }
                if (stop.stopping() || round > 100) {
                    throw stillThere;
                }
                // Its last attempt's outcome is being published by the launcher: a moment.
                Optional<RunningTask> last = taskLauncher.running(attempt.task);
                if (last.isPresent()) {
                    last.get().outcome().join();
                } else {
                    sleepQuietly(Duration.ofMillis(10));
                }
            }
        }
    }

    private void reportStart(Attempt attempt) {
        try {
            client.nodeAgent().started(attempt.node, attempt.id.jobId(), attempt.id.taskId(),
                    new AttemptStarted(attempt.id.epoch()), options);
        } catch (LeaseRefusedException refused) {
            log.info("Stopping {}: the service no longer counts it as this node's ({})", attempt,
                    refused.errorCode());
            attempt.drop(CancelReason.LEASE_LOST);
        } catch (BatchException failed) {
            // Only a courtesy: the lease calls renew the attempt and the completion report is what counts.
            log.debug("Start report on {} failed: {}", attempt, CallFailures.firstLine(failed));
        }
    }

    /**
     * Reports the completion (batched with others, {@link CompletionSender}); once the service acknowledges or refuses
     * it, the attempt is dropped or the agent stops, the attempt is settled. Until then the lease calls list it.
     */
    private void reportCompletion(Attempt attempt, AttemptCompleted report) {
        attempt.reportHandedOver();
        completions.report(attempt, report).whenComplete((ignored, failed) -> settle(attempt));
    }

    static void awaitQuietly(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // It ends as it ends; the caller has waited long enough.
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
