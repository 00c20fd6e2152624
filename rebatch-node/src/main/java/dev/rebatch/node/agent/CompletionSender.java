package dev.rebatch.node.agent;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.client.errors.LeaseRefusedException;
import dev.rebatch.model.agent.AttemptCompleted;
import dev.rebatch.model.agent.AttemptCompletion;
import dev.rebatch.model.agent.CompletionReports;
import dev.rebatch.model.agent.CompletionResult;
import dev.rebatch.model.agent.CompletionResults;
import dev.rebatch.model.agent.Lease;
import dev.rebatch.model.agent.NodeRegistration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the node's completion reports, many per call: every completion that arrived while the previous call was out
 * goes in the next one, with those that arrive within a few milliseconds while other processes of the node still run
 * ({@link Linger}), so a busy node makes one call per round instead of one per task, and an idle one still reports
 * each completion at once. A completion is sent until the service accepts or refuses it, its attempt is dropped, or
 * the agent stops; its future completes then, whatever the outcome.
 *
 * <p>A call offers the service the slots its own completions free, and runs the tasks the answer grants for them
 * ({@link FreedSlots}) before the completions are settled: so a busy node makes one call per round, not a report and
 * then a lease call. Those slots were taken when the lease call still out was made, so that call was never offered
 * them, and no slot is offered twice.
 */
final class CompletionSender {

    private static final Logger log = LoggerFactory.getLogger(CompletionSender.class);

    private record Pending(Attempt attempt, AttemptCompletion completion, CompletableFuture<Void> done) {}

    /** Where the tasks granted in a completions answer go. */
    interface FreedSlots {

        /** Whether slots of {@code node} may be offered (it is the agent's node now, not an earlier registration). */
        boolean offers(NodeRegistration node);

        /** Runs the tasks granted to {@code node} for the slots offered. */
        void run(NodeRegistration node, List<Lease> leases);
    }

    private final BatchClient client;
    private final RequestOptions options;
    private final BooleanSupplier stopping;
    private final Duration minPause;
    private final Duration maxPause;
    private final Linger linger;
    private final BooleanSupplier othersRunning;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    /** Set once, when the attempt runner exists (it needs this sender first); until then no slot is offered. */
    private volatile FreedSlots freedSlots;

    /**
     * @param othersRunning whether processes of the node still run, whose completions may join a batch
     *                      ({@link Linger})
     */
    CompletionSender(BatchClient client, RequestOptions options, BooleanSupplier stopping, Duration minPause,
            Duration maxPause, Linger linger, BooleanSupplier othersRunning) {
        this.client = client;
        this.options = options;
        this.stopping = stopping;
        this.minPause = minPause;
        this.maxPause = maxPause;
        this.linger = linger;
        this.othersRunning = othersRunning;
        this.sender = Thread.ofVirtual().name("rebatch-completions").start(this::sendLoop);
    }

    /** From now on, offers the slots that completions free, and hands what is granted for them to {@code slots}. */
    void offerFreedSlots(FreedSlots slots) {
        this.freedSlots = slots;
    }

    /** Queues the report on {@code attempt}; the future completes once it is settled (see the class comment). */
    CompletableFuture<Void> report(Attempt attempt, AttemptCompleted report) {
        Pending pending = new Pending(attempt, AttemptCompletion.of(attempt.id.jobId(), attempt.id.taskId(), report),
                new CompletableFuture<>());
        queue.add(pending);
        if (stopping.getAsBoolean()) {
            settleAll(); // the loop may be gone already
        }
        return pending.done;
    }

    /** Stops sending; every report not yet settled is settled unsent. */
    void close() {
        sender.interrupt();
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        settleAll();
    }

    private void sendLoop() {
        try {
            while (!stopping.getAsBoolean()) {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                linger.gather(queue, batch, othersRunning);
                // An agent that registered again has attempts of its earlier node too: one call per node.
                Map<NodeRegistration, List<Pending>> byNode = new LinkedHashMap<>();
                for (Pending pending : batch) {
                    byNode.computeIfAbsent(pending.attempt.node, node -> new ArrayList<>()).add(pending);
                }
                for (Map.Entry<NodeRegistration, List<Pending>> calls : byNode.entrySet()) {
                    List<Pending> ofNode = calls.getValue();
                    for (int from = 0; from < ofNode.size(); from += CompletionReports.MAX_COMPLETIONS) {
                        send(calls.getKey(), ofNode.subList(from,
                                Math.min(ofNode.size(), from + CompletionReports.MAX_COMPLETIONS)));
                    }
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } finally {
            settleAll();
        }
    }

    /** Sends one batch until it is answered or there is no one left to tell. */
    private void send(NodeRegistration node, List<Pending> batch) throws InterruptedException {
        Duration pause = minPause;
        List<Pending> unsettled = new ArrayList<>(batch);
        while (true) {
            unsettled.removeIf(pending -> {
                if (pending.attempt.dropped() || stopping.getAsBoolean()) {
                    pending.done.complete(null); // cancelled meanwhile: nothing more to say about it
                    return true;
                }
                return false;
            });
            if (unsettled.isEmpty()) {
                return;
            }
            try {
                FreedSlots slots = freedSlots;
                boolean offering = slots != null && slots.offers(node);
                Integer offered = offering ? unsettled.stream().mapToInt(pending -> pending.attempt.requiredSlots)
                        .sum() : null;
                CompletionResults answer = client.nodeAgent().completedAll(node,
                        new CompletionReports(unsettled.stream().map(Pending::completion).toList(), offered), options);
                if (offering && !answer.leases().isEmpty()) {
                    // Before the completions are settled: until the new attempts are listed, their slots must not
                    // look free to the lease loop, which would offer them again.
                    slots.run(node, answer.leases());
                }
                settle(unsettled, answer.results());
                return;
            } catch (BatchServiceException refused) {
                if (!CallFailures.isTransient(refused)) {
                    // NodeNotFound, PoolNotFound (the lease loop sees it too), or a body the service will never take.
                    log.info("The service refused {} completion report(s) of node {}: {}", unsettled.size(),
                            node.nodeId(), CallFailures.firstLine(refused));
                    unsettled.forEach(pending -> pending.done.complete(null));
                    return;
                }
                log.warn("Cannot report {} completion(s) yet: {}; trying again in {} ms", unsettled.size(),
                        CallFailures.firstLine(refused), pause.toMillis());
            } catch (BatchException failed) {
                log.warn("Cannot report {} completion(s) yet: {}; trying again in {} ms", unsettled.size(),
                        CallFailures.firstLine(failed), pause.toMillis());
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
        }
    }

    private static void settle(List<Pending> sent, List<CompletionResult> results) {
        for (int i = 0; i < sent.size(); i++) {
            Pending pending = sent.get(i);
            CompletionResult result = i < results.size() ? results.get(i) : null;
            if (result == null) {
                log.warn("The service answered no result for {}; the lease calls settle it", pending.attempt);
            } else if (result.accepted()) {
                log.debug("Reported {}: exit code {}", pending.attempt, pending.completion.exitCode());
            } else if (LeaseRefusedException.isLeaseRefusal(result.code())) {
                log.info("The service no longer accepts a report on {} ({}); dropping it", pending.attempt,
                        result.code());
            } else {
                // JobNotFound, TaskNotFound (deleted meanwhile).
                log.info("The service refused the report on {}: {} {}", pending.attempt, result.code(),
                        result.message() == null ? "" : result.message().lines().findFirst().orElse(""));
            }
            pending.done.complete(null);
        }
    }

    private void settleAll() {
        Pending pending;
        while ((pending = queue.poll()) != null) {
            pending.done.complete(null);
        }
    }
}
