package dev.rebatch.server.dispatch;

import java.util.List;

/**
 * One lease call of a node agent.
 *
 * @param freeSlots  the slots the agent has free, or {@code null} to let the service count them from what it holds
 * @param waitMillis how long to wait for work when there is none (0: answer at once); capped at the heartbeat
 *                   interval
 * @param running    every attempt the agent still runs (or has not yet had its completion acknowledged for)
 */
public record PollRequest(Integer freeSlots, long waitMillis, List<HeldAttempt> running) {

    public PollRequest {
        running = List.copyOf(running);
    }
}
