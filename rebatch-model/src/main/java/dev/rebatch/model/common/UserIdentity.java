package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Mirrors spec definition {@code UserIdentity}: set either username or autoUser, not both. */
public record UserIdentity(
        @JsonProperty("username") String username,
        @JsonProperty("autoUser") AutoUserSpecification autoUser) {

    /** A named user account of the pool. */
    public static UserIdentity user(String username) {
        return new UserIdentity(username, null);
    }

    /** The automatic user account of the given scope and elevation. */
    public static UserIdentity autoUser(AutoUserScope scope, ElevationLevel elevationLevel) {
        return new UserIdentity(null, new AutoUserSpecification(scope, elevationLevel));
    }
}
