package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.ResourceFile;
import java.util.List;

/**
 * Mirrors spec definition {@code MultiInstanceSettings}: an MPI-style task on several nodes.
 */
public record MultiInstanceSettings(
        @JsonProperty("numberOfInstances") Integer numberOfInstances,
        @JsonProperty("coordinationCommandLine") String coordinationCommandLine,
        @JsonProperty("commonResourceFiles") List<ResourceFile> commonResourceFiles) {

    public MultiInstanceSettings {
        commonResourceFiles = commonResourceFiles == null ? null : List.copyOf(commonResourceFiles);
    }
}
