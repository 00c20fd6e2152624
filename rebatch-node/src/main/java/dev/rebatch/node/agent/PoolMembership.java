package dev.rebatch.node.agent;

import dev.rebatch.client.BatchClient;
import dev.rebatch.client.RequestOptions;
import dev.rebatch.client.errors.BatchException;
import dev.rebatch.client.errors.BatchServiceException;
import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.model.agent.NodeRegistrationRequest;
import dev.rebatch.node.NodeContext;
import dev.rebatch.node.exec.TaskLauncher;
import dev.rebatch.node.retention.RetentionSweeper;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node the agent is in its pool: joining (a node an earlier run left behind leaves first, then the registration),
 * what the node's work needs once it has joined (its launcher, the files server's key), losing the node when the
 * service says it is gone, and leaving the pool. Registration and losing the node happen on the lease loop only; the
 * node and its launcher are read by any thread.
 */
final class PoolMembership {

    private static final Logger log = LoggerFactory.getLogger(PoolMembership.class);

    /** The refusal of a registration whose node id is taken by another node (see {@link #register}). */
    static final String NODE_EXISTS = "NodeExists";

    private final BatchClient client;
    private final AgentSettings settings;
    private final RegistrationFile registrationFile;
    private final AgentFilesServer filesServer;
    private final ScheduledExecutorService scheduler;
    private final RetentionSweeper retention;
    private final CompletableFuture<NodeRegistration> firstRegistration;

    private volatile NodeRegistration node;
    private volatile TaskLauncher launcher;
    /** The registration being made: the node it names, until the service answered it (only the lease loop's). */
    private NodeRegistrationRequest naming;
    private boolean warnedNoFilesKey;

    /** @param firstRegistration completed with the first registration ({@link NodeAgent#registered()}) */
    PoolMembership(BatchClient client, AgentSettings settings, AgentFilesServer filesServer,
            ScheduledExecutorService scheduler, RetentionSweeper retention,
            CompletableFuture<NodeRegistration> firstRegistration) {
        this.client = client;
        this.settings = settings;
        this.registrationFile = settings.registrationFile() == null ? null
                : new RegistrationFile(settings.registrationFile());
        this.filesServer = filesServer;
        this.scheduler = scheduler;
        this.retention = retention;
        this.firstRegistration = firstRegistration;
    }

    /** The node the agent is now, if it is registered. */
    Optional<NodeRegistration> node() {
        return Optional.ofNullable(node);
    }

    /** Runs the node's tasks; {@code null} while the agent is not registered. */
    TaskLauncher launcher() {
        return launcher;
    }

    /** Whether the agent joined the pool once already (it then registers again only if built to). */
    boolean joinedBefore() {
        return firstRegistration.isDone();
    }

    /** The first registration failed for good: {@link NodeAgent#registered()} fails with it. */
    void cannotJoin(BatchServiceException refused) {
        firstRegistration.completeExceptionally(refused);
    }

    /**
     * Registers as the node this registration names. The name (node id and token) is drawn once and kept, in memory
     * and in the registration file, before the first call: every try, after a lost answer or a failed call, names the
     * same node, so the service makes it once; and a crash before the answer leaves a node the next run can find and
     * make leave. Only a refusal of the name itself (NodeExists) or a registration that succeeded ends it.
     */
    NodeRegistration register() {
        if (naming == null) {
            if (registrationFile != null) {
                leaveEarlierNode();
            }
            naming = new NodeRegistrationRequest(settings.hostname(), filesServer.url().toString(),
                    settings.taskSlots(), settings.agentVersion()).withNewNode();
            if (registrationFile != null) {
                registrationFile.writeBeforeRegistering(settings.poolId(), naming);
            }
        }
        NodeRegistration registration;
        try {
            registration = client.nodeAgent().register(settings.poolId(), naming, settings.options());
        } catch (BatchServiceException refused) {
            if (NODE_EXISTS.equalsIgnoreCase(refused.errorCode())) {
                naming = null; // another node has that name: the next try draws a new one
            }
            throw refused;
        }
        naming = null;
        joined(registration);
        return registration;
    }

    private void joined(NodeRegistration registration) {
        if (registration.filesKey() == null && !warnedNoFilesKey) {
            warnedNoFilesKey = true;
            log.info("The service sent no files key: this node serves no task files to anyone");
        }
        filesServer.filesKey(registration.filesKey());
        launcher = launcherFor(registration);
        node = registration;
        log.info("Joined pool {} as node {} ({} task slot(s), task files at {})", registration.poolId(),
                registration.nodeId(), registration.taskSlots(), filesServer.url());
        if (registrationFile != null) {
            registrationFile.write(registration);
        }
        firstRegistration.complete(registration);
        if (settings.onRegistered() != null) {
            try {
                settings.onRegistered().accept(registration);
            } catch (RuntimeException listenerFailed) {
                log.warn("The registration listener failed", listenerFailed);
            }
        }
    }

    /** Tasks run as the node: its ids are in their environment (AZ_BATCH_NODE_ID...). */
    private TaskLauncher launcherFor(NodeRegistration registration) {
        TaskLauncher.Builder launch = TaskLauncher.builder(new NodeContext(client.accountName(),
                client.endpoint().toString(), registration.poolId(), registration.nodeId(), settings.root(), true),
                scheduler).retention(retention).killGrace(settings.killGrace()).clock(settings.clock());
        if (settings.inheritedEnvironment() != null) {
            launch.inheritedEnvironment(settings.inheritedEnvironment());
        }
        return launch.build();
    }

    /**
     * The node an earlier run of this agent registered as (it crashed, or was closed without leaving) is still in the
     * pool, silent: it leaves first, so that the pool does not count it. A call that fails on the way fails this
     * registration attempt, which the loop makes again.
     */
    private void leaveEarlierNode() {
        Optional<NodeRegistration> earlier = registrationFile.read();
        if (earlier.isEmpty()) {
            return;
        }
        NodeRegistration stale = earlier.get();
        try {
            client.nodeAgent().leave(stale, settings.options());
            log.info("Node {}, left behind by an earlier run in {}, left pool {}", stale.nodeId(), settings.root(),
                    stale.poolId());
        } catch (BatchServiceException refused) {
            if (CallFailures.isTransient(refused)) {
                throw refused;
            }
            log.debug("The earlier node {} is gone already: {}", stale.nodeId(), CallFailures.firstLine(refused));
        }
        registrationFile.delete();
    }

    /** The service says the node is gone (NodeNotFound, PoolNotFound, NodeTokenInvalid): the agent is no node now. */
    void lost() {
        node = null;
        launcher = null;
        if (registrationFile != null) {
            registrationFile.delete();
        }
    }

    /** Leaves the pool, if the agent is a node: the service removes it and requeues whatever it still held. */
    void leave(RequestOptions options) {
        NodeRegistration current = node;
        if (current == null) {
            return;
        }
        try {
            client.nodeAgent().leave(current, options);
            log.info("Node {} left pool {}", current.nodeId(), current.poolId());
            if (registrationFile != null) {
                registrationFile.delete();
            }
        } catch (BatchException failed) {
            log.warn("Node {} could not leave pool {} ({}); the service requeues its tasks when their leases "
                    + "lapse", current.nodeId(), current.poolId(), CallFailures.firstLine(failed));
        }
    }
}
