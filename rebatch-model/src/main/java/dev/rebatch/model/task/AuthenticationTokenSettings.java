package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Mirrors spec definition {@code AuthenticationTokenSettings}.
 */
public record AuthenticationTokenSettings(
        @JsonProperty("access") List<AccessScope> access) {

    public AuthenticationTokenSettings {
        access = access == null ? null : List.copyOf(access);
    }
}
