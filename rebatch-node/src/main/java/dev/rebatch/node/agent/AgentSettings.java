package dev.rebatch.node.agent;

import dev.rebatch.client.RequestOptions;
import dev.rebatch.model.agent.NodeRegistration;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How an agent is configured ({@link NodeAgent.Builder}); each part of the agent reads what it needs.
 *
 * @param poolId               the pool to join
 * @param root                 the node's root directory (absolute)
 * @param taskSlots            the slots to offer, or {@code null} for the pool's taskSlotsPerNode
 * @param hostname             the host name the node registers with
 * @param filesBindHost        where the files server listens
 * @param filesPort            the files server's port (0: an ephemeral one)
 * @param filesAdvertisedHost  the host the service reaches the files server by
 * @param reRegister           join again when the node is removed, instead of stopping
 * @param agentVersion         shown as the node's nodeAgentInfo.version
 * @param options              per-call options of every call
 * @param killGrace            SIGTERM's head start before SIGKILL when a task is ended
 * @param inheritedEnvironment what tasks inherit from the agent, or {@code null} for the launcher's default
 * @param clock                the clock of start and end times and of retention
 * @param registrationFile     where the node is remembered across runs, or {@code null}
 * @param onRegistered         told of every registration, or {@code null}
 */
record AgentSettings(String poolId, Path root, Integer taskSlots, String hostname, String filesBindHost, int filesPort,
        String filesAdvertisedHost, boolean reRegister, String agentVersion, RequestOptions options,
        Duration killGrace, Map<String, String> inheritedEnvironment, Clock clock, Path registrationFile,
        Consumer<NodeRegistration> onRegistered) {}
