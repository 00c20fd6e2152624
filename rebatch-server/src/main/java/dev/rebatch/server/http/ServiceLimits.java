package dev.rebatch.server.http;

/**
 * The service's protective limits.
 *
 * @param clientRate          each account's client request rate ({@link AccountThrottle#DEFAULT_CLIENT_RATE})
 * @param nodeAgentRate       each account's node-agent request rate, a separate allowance
 *                            ({@link AccountThrottle#DEFAULT_NODE_AGENT_RATE})
 * @param maxRequestsInFlight requests the whole service handles at once before answering 503 ServerBusy
 *                            ({@link LoadShedder#DEFAULT_MAX_IN_FLIGHT})
 */
public record ServiceLimits(AccountThrottle.Rate clientRate, AccountThrottle.Rate nodeAgentRate, int maxRequestsInFlight) {

    public static final ServiceLimits DEFAULTS = new ServiceLimits(AccountThrottle.DEFAULT_CLIENT_RATE,
            AccountThrottle.DEFAULT_NODE_AGENT_RATE, LoadShedder.DEFAULT_MAX_IN_FLIGHT);

    public ServiceLimits {
        java.util.Objects.requireNonNull(clientRate, "clientRate");
        java.util.Objects.requireNonNull(nodeAgentRate, "nodeAgentRate");
        if (maxRequestsInFlight < 1) {
            throw new IllegalArgumentException("maxRequestsInFlight must be at least 1: " + maxRequestsInFlight);
        }
    }
}
