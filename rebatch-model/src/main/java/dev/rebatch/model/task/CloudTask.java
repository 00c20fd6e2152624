package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.ApplicationPackageReference;
import dev.rebatch.model.common.EnvironmentSetting;
import dev.rebatch.model.common.ResourceFile;
import dev.rebatch.model.common.UserIdentity;
import java.time.Instant;
import java.util.List;

/**
 * Mirrors spec definition {@code CloudTask}: a task as Task_Get and Task_List return it.
 * The components of {@link TaskSpec} come first, then the properties the service sets.
 *
 * <p>Not modelled (unknown properties are ignored on read): containerSettings and outputFiles (Rebatch nodes
 * neither run task containers nor upload to Azure Storage), stats.
 */
public record CloudTask(
        @JsonProperty("id") String id,
        @JsonProperty("displayName") String displayName,
        @JsonProperty("commandLine") String commandLine,
        @JsonProperty("exitConditions") ExitConditions exitConditions,
        @JsonProperty("environmentSettings") List<EnvironmentSetting> environmentSettings,
        @JsonProperty("constraints") TaskConstraints constraints,
        @JsonProperty("requiredSlots") Integer requiredSlots,
        @JsonProperty("dependsOn") TaskDependencies dependsOn,
        @JsonProperty("resourceFiles") List<ResourceFile> resourceFiles,
        @JsonProperty("affinityInfo") AffinityInformation affinityInfo,
        @JsonProperty("userIdentity") UserIdentity userIdentity,
        @JsonProperty("multiInstanceSettings") MultiInstanceSettings multiInstanceSettings,
        @JsonProperty("applicationPackageReferences") List<ApplicationPackageReference> applicationPackageReferences,
        @JsonProperty("authenticationTokenSettings") AuthenticationTokenSettings authenticationTokenSettings,
        @JsonProperty("url") String url,
        @JsonProperty("eTag") String eTag,
        @JsonProperty("lastModified") Instant lastModified,
        @JsonProperty("creationTime") Instant creationTime,
        @JsonProperty("state") TaskState state,
        @JsonProperty("stateTransitionTime") Instant stateTransitionTime,
        @JsonProperty("previousState") TaskState previousState,
        @JsonProperty("previousStateTransitionTime") Instant previousStateTransitionTime,
        @JsonProperty("executionInfo") TaskExecutionInformation executionInfo,
        @JsonProperty("nodeInfo") ComputeNodeInformation nodeInfo) {

    public CloudTask {
        environmentSettings = environmentSettings == null ? null : List.copyOf(environmentSettings);
        resourceFiles = resourceFiles == null ? null : List.copyOf(resourceFiles);
        applicationPackageReferences = applicationPackageReferences == null ? null
                : List.copyOf(applicationPackageReferences);
    }

    /** The add parameters of this task, e.g. to add it again under another id. */
    public TaskSpec toSpec() {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }
}
