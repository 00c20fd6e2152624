package dev.rebatch.model.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rebatch.model.common.ApplicationPackageReference;
import dev.rebatch.model.common.EnvironmentSetting;
import dev.rebatch.model.common.ResourceFile;
import dev.rebatch.model.common.UserIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Mirrors spec definition {@code TaskAddParameter}: the body of Task_Add and one item of Task_AddCollection.
 *
 * <p>Not modelled (unknown properties are ignored on read): containerSettings and outputFiles (Rebatch nodes
 * neither run task containers nor upload to Azure Storage).
 */
public record TaskSpec(
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
        @JsonProperty("authenticationTokenSettings") AuthenticationTokenSettings authenticationTokenSettings) {

    public TaskSpec {
        environmentSettings = environmentSettings == null ? null : List.copyOf(environmentSettings);
        resourceFiles = resourceFiles == null ? null : List.copyOf(resourceFiles);
        applicationPackageReferences = applicationPackageReferences == null ? null
                : List.copyOf(applicationPackageReferences);
    }

    /** A task running {@code commandLine}, with the service's defaults for everything else. */
    public static TaskSpec of(String id, String commandLine) {
        return new TaskSpec(id, null, commandLine, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Sets constraints.maxTaskRetryCount, keeping the other constraints; -1 retries without limit. */
    public TaskSpec withMaxTaskRetryCount(int maxTaskRetryCount) {
        return withConstraints(constraintsOrEmpty().withMaxTaskRetryCount(maxTaskRetryCount));
    }

    /** Sets constraints.maxWallClockTime, keeping the other constraints. */
    public TaskSpec withMaxWallClockTime(Duration maxWallClockTime) {
        return withConstraints(constraintsOrEmpty().withMaxWallClockTime(maxWallClockTime));
    }

    /** Sets constraints.retentionTime, keeping the other constraints. */
    public TaskSpec withRetentionTime(Duration retentionTime) {
        return withConstraints(constraintsOrEmpty().withRetentionTime(retentionTime));
    }

    /** This task depending on the tasks with these ids (the job must set usesTaskDependencies). */
    public TaskSpec withDependsOnTasks(String... taskIds) {
        return withDependsOn(TaskDependencies.onTasks(taskIds));
    }

    /** This task with one more environment setting. */
    public TaskSpec withEnvironmentSetting(String name, String value) {
        List<EnvironmentSetting> settings = environmentSettings == null ? new ArrayList<>()
                : new ArrayList<>(environmentSettings);
        settings.add(new EnvironmentSetting(name, value));
        return withEnvironmentSettings(settings);
    }

    private TaskConstraints constraintsOrEmpty() {
        return constraints == null ? TaskConstraints.empty() : constraints;
    }

    public TaskSpec withDisplayName(String displayName) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withExitConditions(ExitConditions exitConditions) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withEnvironmentSettings(List<EnvironmentSetting> environmentSettings) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withConstraints(TaskConstraints constraints) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withRequiredSlots(Integer requiredSlots) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withDependsOn(TaskDependencies dependsOn) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withResourceFiles(List<ResourceFile> resourceFiles) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withAffinityInfo(AffinityInformation affinityInfo) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withUserIdentity(UserIdentity userIdentity) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withMultiInstanceSettings(MultiInstanceSettings multiInstanceSettings) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withApplicationPackageReferences(List<ApplicationPackageReference> applicationPackageReferences) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }

    public TaskSpec withAuthenticationTokenSettings(AuthenticationTokenSettings authenticationTokenSettings) {
        return new TaskSpec(id, displayName, commandLine, exitConditions, environmentSettings, constraints,
                requiredSlots, dependsOn, resourceFiles, affinityInfo, userIdentity, multiInstanceSettings,
                applicationPackageReferences, authenticationTokenSettings);
    }
}
