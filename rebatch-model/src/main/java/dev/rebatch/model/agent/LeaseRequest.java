package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of a lease call: the node's heartbeat, the attempts it holds and how much work it wants.
 *
 * @param freeSlots  the slots the agent has free (0 to 256), or {@code null} to let the service count
 * @param waitMillis how long the call may wait when there is nothing to say (capped at the heartbeat interval)
 * @param running    every attempt the agent still runs, and every attempt whose completion report it has not had
 *                   acknowledged
 */
public record LeaseRequest(
        @JsonProperty("freeSlots") Integer freeSlots,
        @JsonProperty("waitMillis") Long waitMillis,
        @JsonProperty("running") List<HeldAttempt> running) {

    public LeaseRequest {
        running = running == null ? List.of() : List.copyOf(running);
    }
}
