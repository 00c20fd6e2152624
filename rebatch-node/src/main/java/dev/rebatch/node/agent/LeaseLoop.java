package dev.rebatch.node.agent;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.model.agent.Cancellation;
import dev.rebatch.model.agent.Lease;
import dev.rebatch.model.agent.LeaseAnswer;
import dev.rebatch.model.agent.LeaseRequest;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.node.exec.CancelReason;
import dev.rebatch.node.exec.TaskLauncher;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one lease loop, on a virtual thread of its own: it registers, then makes lease calls one after another,
 * never two at once, and acts on each answer (cancellations, a reboot, grants). A call that fails after the SDK's
 * retries is made again after a pause that doubles up to {@link #MAX_PAUSE} ({@link #MAX_REGISTRATION_PAUSE} while it
 * registers). It ends when the agent stops, or by itself when its node is gone and it is not to join again.
 */
final class LeaseLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LeaseLoop.class);

    static final Duration MIN_PAUSE = Duration.ofMillis(250);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    /** Joining (again) is cheap for the service and a node waiting to join is wasted: try at least this often. */
    static final Duration MAX_REGISTRATION_PAUSE = Duration.ofSeconds(5);

    private final BatchClient client;
    private final AgentSettings settings;
    private final PoolMembership membership;
    private final Attempts attempts;
    private final AttemptRunner runner;
    private final StopSignal stop;
    private final Runnable endedByItself;

    /** How long a lease call waits: the heartbeat interval, as the service last said. */
    private volatile long waitMillis;

    /** @param endedByItself called (on the loop's thread) when it ends while the agent is not stopping */
    LeaseLoop(BatchClient client, AgentSettings settings, PoolMembership membership, Attempts attempts,
            AttemptRunner runner, StopSignal stop, Runnable endedByItself) {
        this.client = client;
        this.settings = settings;
        this.membership = membership;
        this.attempts = attempts;
        this.runner = runner;
        this.stop = stop;
        this.endedByItself = endedByItself;
    }

    /** How long the lease call in flight may wait at the service. */
    long waitMillis() {
        return waitMillis;
    }

    @Override
    public void run() {
        Duration pause = MIN_PAUSE;
        try {
            while (!stop.stopping()) {
                try {
                    Optional<NodeRegistration> node = membership.node();
                    if (node.isEmpty()) {
                        waitMillis = membership.register().heartbeatIntervalMillis();
                    } else {
                        LeaseAnswer answer = leaseCall(node.get());
                        if (answer != null && !stop.stopping()) {
                            handle(answer, node.get());
                        }
                    }
                    pause = MIN_PAUSE;
                } catch (BatchServiceException refused) {
                    if (stop.stopping() || !goOnAfter(refused)) {
                        break;
                    }
                    pause = pauseAfterFailure(pause);
                } catch (RuntimeException failed) {
                    if (stop.stopping()) {
                        break;
                    }
                    log.warn("Node agent of pool {}: {}; trying again in {} ms", settings.poolId(),
                            CallFailures.firstLine(failed), pause.toMillis());
                    log.debug("The failure in full", failed);
                    pause = pauseAfterFailure(pause);
                }
            }
        } catch (Error fatal) {
            log.error("The lease loop of pool {} died", settings.poolId(), fatal);
            throw fatal;
        } finally {
            if (!stop.stopping()) {
                endedByItself.run();
            }
        }
    }

    /** Pauses {@code pause}; returns the next pause, doubled up to the ceiling. */
    private Duration pauseAfterFailure(Duration pause) {
        stop.pause(pause);
        Duration most = membership.node().isEmpty() ? MAX_REGISTRATION_PAUSE : MAX_PAUSE;
        Duration doubled = pause.multipliedBy(2);
        return doubled.compareTo(most) > 0 ? most : doubled;
    }

    /**
     * One lease call. A node with no free slot asks for none and waits like any other: the service answers it as soon
     * as one of the node's completions is accepted, so the node asks again at once with the slot free.
     */
    private LeaseAnswer leaseCall(NodeRegistration node) {
        return client.nodeAgent().lease(node,
                new LeaseRequest(attempts.freeSlots(node), waitMillis, attempts.listed()), settings.options());
    }

    /** Acts on the answer to a lease call {@code node} made. */
    private void handle(LeaseAnswer answer, NodeRegistration node) {
        if (answer.heartbeatIntervalMillis() > 0) {
            waitMillis = answer.heartbeatIntervalMillis();
        }
        for (Cancellation cancellation : answer.cancellations()) {
            Attempt attempt = attempts.get(cancellation.attempt());
            if (attempt != null && !attempt.dropped()) {
                if (attempt.occupying()) {
                    log.info("Stopping {}: cancelled by the service ({})", attempt, cancellation.reason());
                } else {
                    // Its process has ended and its completion was accepted (the call still listed it), or the
                    // task was ended meanwhile: either way nothing more is to be said about it.
                    log.debug("The service no longer counts {} ({})", attempt, cancellation.reason());
                }
                attempt.drop(CancelReason.fromWire(cancellation.reason()));
                attempts.forgetIfFinished(attempt);
            }
        }
        if (answer.reboot()) {
            log.info("Node {} was rebooted: dropping every attempt it ran", node.nodeId());
            attempts.dropAll(CancelReason.LEASE_LOST);
        }
        TaskLauncher launcher = membership.launcher();
        for (Lease lease : answer.leases()) {
            runner.grant(lease, node, launcher);
        }
    }

    /** Whether to go on after a refusal; forgets the node when the service says it is gone. */
    private boolean goOnAfter(BatchServiceException refused) {
        Optional<NodeRegistration> node = membership.node();
        if (node.isEmpty()) {
            return goOnAfterRegistrationRefused(refused);
        }
        String code = refused.errorCode();
        if ("NodeNotFound".equalsIgnoreCase(code) || "PoolNotFound".equalsIgnoreCase(code)
                || "NodeTokenInvalid".equalsIgnoreCase(code)) {
            log.warn("Node {} is no longer in pool {} ({}): dropping its {} attempt(s){}", node.get().nodeId(),
                    settings.poolId(), code, attempts.size(),
                    settings.reRegister() ? " and joining again" : " and stopping");
            attempts.dropAll(CancelReason.LEASE_LOST);
            membership.lost();
            return settings.reRegister();
        }
        log.warn("Lease call of node {} refused: {}", node.get().nodeId(), CallFailures.firstLine(refused));
        return true;
    }

    /** A registration refused: try again when another try may be answered otherwise, else stop or not. */
    private boolean goOnAfterRegistrationRefused(BatchServiceException refused) {
        if (CallFailures.isTransient(refused) || PoolMembership.NODE_EXISTS.equalsIgnoreCase(refused.errorCode())) {
            log.warn("Cannot join pool {} yet: {}", settings.poolId(), CallFailures.firstLine(refused));
            return true;
        }
        if (!membership.joinedBefore()) {
            log.error("Cannot join pool {}: {}", settings.poolId(), CallFailures.firstLine(refused));
            membership.cannotJoin(refused);
            return false;
        }
        log.warn("Cannot join pool {} again yet: {}", settings.poolId(), CallFailures.firstLine(refused));
        return settings.reRegister();
    }
}
