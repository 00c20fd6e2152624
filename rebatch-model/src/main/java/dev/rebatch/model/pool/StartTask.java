package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.EnvironmentSetting;
import dev.rebatch.model.common.ResourceFile;
import dev.rebatch.model.common.UserIdentity;
import java.util.List;

/**
 * Mirrors spec definition {@code StartTask}: the task each node runs when it joins the pool.
 *
 * <p>Not modelled (unknown properties are ignored on read): containerSettings (Rebatch nodes do not run task
 * containers).
 */
public record StartTask(
        @JsonProperty("commandLine") String commandLine,
        @JsonProperty("resourceFiles") List<ResourceFile> resourceFiles,
        @JsonProperty("environmentSettings") List<EnvironmentSetting> environmentSettings,
        @JsonProperty("userIdentity") UserIdentity userIdentity,
        @JsonProperty("maxTaskRetryCount") Integer maxTaskRetryCount,
        @JsonProperty("waitForSuccess") Boolean waitForSuccess) {

    public StartTask {
        resourceFiles = resourceFiles == null ? null : List.copyOf(resourceFiles);
        environmentSettings = environmentSettings == null ? null : List.copyOf(environmentSettings);
    }

    /** A start task running {@code commandLine}, with the service's defaults for everything else. */
    public static StartTask of(String commandLine) {
        return new StartTask(commandLine, null, null, null, null, null);
    }

    public StartTask withResourceFiles(List<ResourceFile> resourceFiles) {
        return new StartTask(commandLine, resourceFiles, environmentSettings, userIdentity, maxTaskRetryCount,
                waitForSuccess);
    }

    public StartTask withEnvironmentSettings(List<EnvironmentSetting> environmentSettings) {
        return new StartTask(commandLine, resourceFiles, environmentSettings, userIdentity, maxTaskRetryCount,
                waitForSuccess);
    }

    public StartTask withUserIdentity(UserIdentity userIdentity) {
        return new StartTask(commandLine, resourceFiles, environmentSettings, userIdentity, maxTaskRetryCount,
                waitForSuccess);
    }

    public StartTask withMaxTaskRetryCount(Integer maxTaskRetryCount) {
        return new StartTask(commandLine, resourceFiles, environmentSettings, userIdentity, maxTaskRetryCount,
                waitForSuccess);
    }

    public StartTask withWaitForSuccess(Boolean waitForSuccess) {
        return new StartTask(commandLine, resourceFiles, environmentSettings, userIdentity, maxTaskRetryCount,
                waitForSuccess);
    }
}
