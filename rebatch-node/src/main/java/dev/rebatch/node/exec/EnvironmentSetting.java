package dev.rebatch.node.exec;

import java.util.Objects;

/** One environment variable a job or task sets (spec EnvironmentSetting); a missing value means the empty string. */
public record EnvironmentSetting(String name, String value) {

    public EnvironmentSetting {
        Objects.requireNonNull(name, "name");
        value = value == null ? "" : value;
    }
}
