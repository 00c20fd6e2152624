package dev.rebatch.model.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.EnvironmentSetting;
import java.util.List;

/**
 * What a node needs from a leased task's job to run it.
 *
 * @param id                        the job's id
 * @param commonEnvironmentSettings the environment every task of the job gets (its own settings override them)
 */
public record LeaseJob(
        @JsonProperty("id") String id,
        @JsonProperty("commonEnvironmentSettings") List<EnvironmentSetting> commonEnvironmentSettings) {

    public LeaseJob {
        commonEnvironmentSettings = commonEnvironmentSettings == null ? List.of()
                : List.copyOf(commonEnvironmentSettings);
    }
}
