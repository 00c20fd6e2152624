package dev.rebatch.model.wire;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.rebatch.model.BatchError;
import dev.rebatch.model.common.ApplicationPackageReference;
import dev.rebatch.model.common.AutoUserSpecification;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.common.ComputeNodeIdentityReference;
import dev.rebatch.model.common.EnvironmentSetting;
import dev.rebatch.model.common.ListPage;
import dev.rebatch.model.common.MetadataItem;
import dev.rebatch.model.common.NameValuePair;
import dev.rebatch.model.common.ResourceFile;
import dev.rebatch.model.common.UserIdentity;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.DisableJobOption;
import dev.rebatch.model.job.JobConstraints;
import dev.rebatch.model.job.JobDisable;
import dev.rebatch.model.job.JobExecutionInformation;
import dev.rebatch.model.job.JobPatch;
import dev.rebatch.model.job.JobSchedulingError;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.JobTerminate;
import dev.rebatch.model.job.PoolInformation;
import dev.rebatch.model.job.TaskCounts;
import dev.rebatch.model.job.TaskCountsResult;
import dev.rebatch.model.job.TaskSlotCounts;
import dev.rebatch.model.node.ComputeNode;
import dev.rebatch.model.node.ComputeNodeError;
import dev.rebatch.model.node.ComputeNodeRebootOption;
import dev.rebatch.model.node.DisableComputeNodeSchedulingOption;
import dev.rebatch.model.node.FileProperties;
import dev.rebatch.model.node.NodeAgentInformation;
import dev.rebatch.model.node.NodeDisableScheduling;
import dev.rebatch.model.node.NodeFile;
import dev.rebatch.model.node.NodeReboot;
import dev.rebatch.model.node.StartTaskInformation;
import dev.rebatch.model.node.TaskInformation;
import dev.rebatch.model.pool.AutoScaleRun;
import dev.rebatch.model.pool.AutoScaleRunError;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.ComputeNodeDeallocationOption;
import dev.rebatch.model.pool.ImageReference;
import dev.rebatch.model.pool.NodeCounts;
import dev.rebatch.model.pool.PoolNodeCounts;
import dev.rebatch.model.pool.PoolPatch;
import dev.rebatch.model.pool.PoolResize;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.pool.ResizeError;
import dev.rebatch.model.pool.StartTask;
import dev.rebatch.model.pool.TaskSchedulingPolicy;
import dev.rebatch.model.pool.VirtualMachineConfiguration;
import dev.rebatch.model.task.AffinityInformation;
import dev.rebatch.model.task.AuthenticationTokenSettings;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.CloudTaskListSubtasksResult;
import dev.rebatch.model.task.ComputeNodeInformation;
import dev.rebatch.model.task.ExitCodeMapping;
import dev.rebatch.model.task.ExitCodeRangeMapping;
import dev.rebatch.model.task.ExitConditions;
import dev.rebatch.model.task.ExitOptions;
import dev.rebatch.model.task.MultiInstanceSettings;
import dev.rebatch.model.task.SubtaskInformation;
import dev.rebatch.model.task.TaskAddCollection;
import dev.rebatch.model.task.TaskAddCollectionResult;
import dev.rebatch.model.task.TaskAddResult;
import dev.rebatch.model.task.TaskConstraints;
import dev.rebatch.model.task.TaskDependencies;
import dev.rebatch.model.task.TaskExecutionInformation;
import dev.rebatch.model.task.TaskFailureInformation;
import dev.rebatch.model.task.TaskIdRange;
import dev.rebatch.model.task.TaskSpec;
import dev.rebatch.model.task.TaskUpdate;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every wire record and enum of this module against the OpenAPI document it mirrors: each declared JSON property exists
 * in its definition with a matching type, each definition property is either declared or deliberately not modelled,
 * and each enum has exactly the spec's values.
 */
class SpecConformanceTest {

    /** Each record of the module and the spec definition it mirrors. */
    private static final Map<Class<?>, String> DEFINITIONS = Map.ofEntries(
            entry(BatchError.class, "BatchError"),
            entry(BatchError.ErrorMessage.class, "ErrorMessage"),
            entry(BatchError.Detail.class, "BatchErrorDetail"),
            entry(EnvironmentSetting.class, "EnvironmentSetting"),
            entry(MetadataItem.class, "MetadataItem"),
            entry(NameValuePair.class, "NameValuePair"),
            entry(ApplicationPackageReference.class, "ApplicationPackageReference"),
            entry(ComputeNodeIdentityReference.class, "ComputeNodeIdentityReference"),
            entry(ResourceFile.class, "ResourceFile"),
            entry(AutoUserSpecification.class, "AutoUserSpecification"),
            entry(UserIdentity.class, "UserIdentity"),
            entry(PoolSpec.class, "PoolAddParameter"),
            entry(CloudPool.class, "CloudPool"),
            entry(PoolPatch.class, "PoolPatchParameter"),
            entry(PoolResize.class, "PoolResizeParameter"),
            entry(PoolNodeCounts.class, "PoolNodeCounts"),
            entry(NodeCounts.class, "NodeCounts"),
            entry(VirtualMachineConfiguration.class, "VirtualMachineConfiguration"),
            entry(ImageReference.class, "ImageReference"),
            entry(TaskSchedulingPolicy.class, "TaskSchedulingPolicy"),
            entry(StartTask.class, "StartTask"),
            entry(ResizeError.class, "ResizeError"),
            entry(AutoScaleRun.class, "AutoScaleRun"),
            entry(AutoScaleRunError.class, "AutoScaleRunError"),
            entry(JobSpec.class, "JobAddParameter"),
            entry(CloudJob.class, "CloudJob"),
            entry(JobPatch.class, "JobPatchParameter"),
            entry(JobDisable.class, "JobDisableParameter"),
            entry(JobTerminate.class, "JobTerminateParameter"),
            entry(JobConstraints.class, "JobConstraints"),
            entry(PoolInformation.class, "PoolInformation"),
            entry(JobExecutionInformation.class, "JobExecutionInformation"),
            entry(JobSchedulingError.class, "JobSchedulingError"),
            entry(TaskCounts.class, "TaskCounts"),
            entry(TaskSlotCounts.class, "TaskSlotCounts"),
            entry(TaskCountsResult.class, "TaskCountsResult"),
            entry(TaskSpec.class, "TaskAddParameter"),
            entry(CloudTask.class, "CloudTask"),
            entry(TaskUpdate.class, "TaskUpdateParameter"),
            entry(TaskAddCollection.class, "TaskAddCollectionParameter"),
            entry(TaskAddResult.class, "TaskAddResult"),
            entry(TaskAddCollectionResult.class, "TaskAddCollectionResult"),
            entry(CloudTaskListSubtasksResult.class, "CloudTaskListSubtasksResult"),
            entry(SubtaskInformation.class, "SubtaskInformation"),
            entry(TaskConstraints.class, "TaskConstraints"),
            entry(TaskDependencies.class, "TaskDependencies"),
            entry(TaskIdRange.class, "TaskIdRange"),
            entry(ExitConditions.class, "ExitConditions"),
            entry(ExitCodeMapping.class, "ExitCodeMapping"),
            entry(ExitCodeRangeMapping.class, "ExitCodeRangeMapping"),
            entry(ExitOptions.class, "ExitOptions"),
            entry(TaskExecutionInformation.class, "TaskExecutionInformation"),
            entry(TaskFailureInformation.class, "TaskFailureInformation"),
            entry(ComputeNodeInformation.class, "ComputeNodeInformation"),
            entry(AffinityInformation.class, "AffinityInformation"),
            entry(MultiInstanceSettings.class, "MultiInstanceSettings"),
            entry(AuthenticationTokenSettings.class, "AuthenticationTokenSettings"),
            entry(ComputeNode.class, "ComputeNode"),
            entry(TaskInformation.class, "TaskInformation"),
            entry(ComputeNodeError.class, "ComputeNodeError"),
            entry(StartTaskInformation.class, "StartTaskInformation"),
            entry(NodeAgentInformation.class, "NodeAgentInformation"),
            entry(NodeFile.class, "NodeFile"),
            entry(FileProperties.class, "FileProperties"),
            entry(NodeDisableScheduling.class, "NodeDisableSchedulingParameter"),
            entry(NodeReboot.class, "NodeRebootParameter"));

    private static final String CONTAINERS = "containerSettings";
    private static final List<String> POOL_NOT_MODELLED = List.of("networkConfiguration", "certificateReferences",
            "userAccounts", "mountConfiguration", "targetNodeCommunicationMode", "upgradePolicy", "resourceTags");

    /** Definition properties deliberately left out (each record's Javadoc says so, and why). */
    private static final Map<String, List<String>> NOT_MODELLED = Map.ofEntries(
            entry("ImageReference", List.of("exactVersion", "sharedGalleryImageId", "communityGalleryImageId")),
            entry("VirtualMachineConfiguration", List.of("windowsConfiguration", "dataDisks", "licenseType",
                    "containerConfiguration", "diskEncryptionConfiguration", "nodePlacementConfiguration",
                    "extensions", "osDisk", "securityProfile", "serviceArtifactReference")),
            entry("StartTask", List.of(CONTAINERS)),
            entry("PoolAddParameter", POOL_NOT_MODELLED),
            entry("CloudPool", concat(POOL_NOT_MODELLED, "stats", "identity", "currentNodeCommunicationMode")),
            entry("PoolPatchParameter", POOL_NOT_MODELLED),
            entry("PoolInformation", List.of("autoPoolSpecification")),
            entry("JobAddParameter", List.of("jobManagerTask", "jobPreparationTask", "jobReleaseTask",
                    "networkConfiguration")),
            entry("CloudJob", List.of("jobManagerTask", "jobPreparationTask", "jobReleaseTask",
                    "networkConfiguration", "stats")),
            entry("JobPatchParameter", List.of("networkConfiguration")),
            entry("JobTerminateParameter", List.of("forceAfterSeconds")),
            entry("TaskAddParameter", List.of(CONTAINERS, "outputFiles")),
            entry("CloudTask", List.of(CONTAINERS, "outputFiles", "stats")),
            entry("TaskExecutionInformation", List.of("containerInfo")),
            entry("SubtaskInformation", List.of("containerInfo")),
            entry("StartTaskInformation", List.of("containerInfo")),
            entry("ComputeNode", List.of("certificateReferences", "endpointConfiguration", "virtualMachineInfo")));

    /** Wire properties beyond the spec: real error bodies carry odata.metadata (wire-notes 3.1). */
    private static final Map<Class<?>, Set<String>> BEYOND_SPEC = Map.of(BatchError.class, Set.of("odata.metadata"));

    /** The enums the client only sends: they have no UNKNOWN, which the service would reject. */
    private static final Set<Class<?>> REQUEST_ONLY_ENUMS = Set.of(DisableJobOption.class,
            DisableComputeNodeSchedulingOption.class, ComputeNodeRebootOption.class,
            ComputeNodeDeallocationOption.class);

    private final ObjectMapper json = BatchJson.mapper();

    @Test
    void everyRecordOfTheModuleMirrorsADefinition() {
        Set<Class<?>> records = moduleClasses().filter(Class::isRecord).collect(Collectors.toSet());
        records.remove(ListPage.class);

        assertThat(records).containsExactlyInAnyOrderElementsOf(DEFINITIONS.keySet());
        assertThat(DEFINITIONS.values()).allSatisfy(name ->
                assertThat(BatchSpec.definitions().has(name)).as("definition %s", name).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void everyPropertyExistsInItsDefinitionWithTheSameType(Class<?> type) {
        String definition = DEFINITIONS.get(type);
        JsonNode properties = BatchSpec.definitions().path(definition).path("properties");
        Set<String> beyond = BEYOND_SPEC.getOrDefault(type, Set.of());

        for (RecordComponent component : type.getRecordComponents()) {
            String name = wireName(type, component);
            if (beyond.contains(name)) {
                continue;
            }
            String where = type.getSimpleName() + "." + component.getName() + " (" + definition + "." + name + ")";
            assertThat(properties.has(name)).as("%s is a property of the spec", where).isTrue();
            assertSameType(where, properties.path(name), component.getGenericType());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void jacksonWritesAndReadsExactlyTheDeclaredProperties(Class<?> type) {
        Set<String> declared = Arrays.stream(type.getRecordComponents())
                .map(component -> wireName(type, component)).collect(Collectors.toCollection(TreeSet::new));

        assertThat(names(json.getSerializationConfig().introspect(json.constructType(type)).findProperties()))
                .as("what %s writes", type.getSimpleName()).isEqualTo(declared);
        assertThat(names(json.getDeserializationConfig().introspect(json.constructType(type)).findProperties()))
                .as("what %s reads", type.getSimpleName()).isEqualTo(declared);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void everyPropertyOfTheDefinitionIsModelledOrDeliberatelyLeftOut(Class<?> type) {
        String definition = DEFINITIONS.get(type);
        Set<String> declared = Arrays.stream(type.getRecordComponents())
                .map(component -> wireName(type, component)).collect(Collectors.toSet());
        List<String> notModelled = NOT_MODELLED.getOrDefault(definition, List.of());

        assertThat(notModelled).as("%s leaves out only what the spec has", definition)
                .allSatisfy(name -> assertThat(BatchSpec.definitions().path(definition).path("properties").has(name))
                        .as(name).isTrue())
                .doesNotContainAnyElementsOf(declared);
        Set<String> missing = new TreeSet<>();
        BatchSpec.definitions().path(definition).path("properties").fieldNames().forEachRemaining(missing::add);
        missing.removeAll(declared);
        missing.removeAll(notModelled);
        assertThat(missing).as("%s properties %s neither declares nor lists as not modelled",
                type.getSimpleName(), definition).isEmpty();
    }

    @Test
    void listPageMirrorsEveryListResult() {
        Set<String> declared = Arrays.stream(ListPage.class.getRecordComponents())
                .map(component -> wireName(ListPage.class, component)).collect(Collectors.toSet());
        List<String> listResults = new ArrayList<>();
        BatchSpec.definitions().fieldNames().forEachRemaining(name -> {
            if (name.endsWith("ListResult") && BatchSpec.definitions().path(name).path("properties").has("odata.nextLink")) {
                listResults.add(name);
            }
        });

        assertThat(listResults).contains("CloudPoolListResult", "CloudJobListResult", "CloudTaskListResult",
                "ComputeNodeListResult", "NodeFileListResult", "PoolNodeCountsListResult");
        for (String name : listResults) {
            Set<String> properties = new TreeSet<>();
            BatchSpec.definitions().path(name).path("properties").fieldNames().forEachRemaining(properties::add);
            assertThat(properties).as(name).isEqualTo(new TreeSet<>(declared));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enums")
    void everyEnumHasExactlyTheSpecValues(Class<? extends Enum<?>> type) throws NoSuchFieldException {
        List<String> spec = specEnums().get(type.getSimpleName());
        assertThat(spec).as("spec enum named %s", type.getSimpleName()).isNotNull();

        List<String> wire = new ArrayList<>();
        String fallback = null;
        for (Enum<?> constant : type.getEnumConstants()) {
            java.lang.reflect.Field field = type.getField(constant.name());
            JsonProperty property = field.getAnnotation(JsonProperty.class);
            assertThat(property).as("%s.%s has a wire name", type.getSimpleName(), constant.name()).isNotNull();
            if (field.isAnnotationPresent(JsonEnumDefaultValue.class)) {
                assertThat(fallback).as("one default").isNull();
                fallback = constant.name();
                if (!spec.contains(property.value())) {
                    continue;
                }
            }
            wire.add(property.value());
        }

        assertThat(wire).as("%s in the spec's order", type.getSimpleName()).isEqualTo(spec);
        if (REQUEST_ONLY_ENUMS.contains(type)) {
            assertThat(fallback).as("request-only %s has no UNKNOWN", type.getSimpleName()).isNull();
        } else {
            assertThat(fallback).as("%s reads values newer than the model as UNKNOWN", type.getSimpleName())
                    .isEqualTo("UNKNOWN");
        }
    }

    @Test
    void requestOnlyEnumsAppearOnlyInRequestBodies() {
        for (Class<?> type : REQUEST_ONLY_ENUMS) {
            Set<String> usedBy = new TreeSet<>();
            for (Map.Entry<String, JsonNode> definition : BatchSpec.definitions().properties()) {
                if (mentions(definition.getValue(), type.getSimpleName())) {
                    usedBy.add(definition.getKey());
                }
            }
            usedBy.remove(type.getSimpleName());
            assertThat(usedBy).as("definitions using %s", type.getSimpleName()).isNotEmpty()
                    .allSatisfy(name -> assertThat(name).endsWith("Parameter"));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static Stream<Class<?>> records() {
        return DEFINITIONS.keySet().stream().sorted((a, b) -> a.getName().compareTo(b.getName()));
    }

    @SuppressWarnings("unchecked")
    static Stream<Class<? extends Enum<?>>> enums() {
        return moduleClasses().filter(Class::isEnum).filter(type -> type != dev.rebatch.model.BatchErrorCode.class)
                .map(type -> (Class<? extends Enum<?>>) type);
    }

    /**
     * Every class compiled from src/main of this module that belongs to the Batch wire: the node-agent protocol's
     * bodies ({@code dev.rebatch.model.agent}) are Rebatch's own calls, with no definition in the spec.
     */
    private static Stream<Class<?>> moduleClasses() {
        return allModuleClasses().filter(type -> !type.getPackageName().equals("dev.rebatch.model.agent"));
    }

    /** Every class compiled from src/main of this module. */
    private static Stream<Class<?>> allModuleClasses() {
        try {
            Path classes = Path.of(BatchJson.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<Class<?>> found = new ArrayList<>();
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    String relative = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                    found.add(Class.forName(relative.substring(0, relative.length() - ".class".length())));
                }
            }
            return found.stream().sorted((a, b) -> a.getName().compareTo(b.getName()));
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            throw new AssertionError("cannot list the module's classes", e);
        }
    }

    private static String wireName(Class<?> type, RecordComponent component) {
        try {
            JsonProperty property = type.getDeclaredField(component.getName()).getAnnotation(JsonProperty.class);
            assertThat(property).as("%s.%s is annotated with its wire name", type.getSimpleName(), component.getName())
                    .isNotNull();
            return property.value();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> names(List<BeanPropertyDefinition> properties) {
        return properties.stream().map(BeanPropertyDefinition::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertSameType(String where, JsonNode schema, Type java) {
        String ref = schema.path("$ref").asText(null);
        if (ref != null) {
            String name = ref.substring("#/definitions/".length());
            JsonNode definition = BatchSpec.definitions().path(name);
            if (definition.has("enum")) {
                assertEnum(where, name, java);
            } else {
                assertThat(DEFINITIONS.get(java)).as("%s: %s mirrors %s", where, java.getTypeName(), name).isEqualTo(name);
            }
            return;
        }
        if (schema.has("enum")) {
            assertEnum(where, schema.path("x-ms-enum").path("name").asText(), java);
            return;
        }
        String format = schema.path("format").asText("");
        switch (schema.path("type").asText()) {
            case "string" -> assertThat(java).as(where).isEqualTo(switch (format) {
                case "date-time" -> Instant.class;
                case "duration" -> Duration.class;
                default -> String.class;
            });
            case "integer" -> assertThat(java).as(where).isIn("int64".equals(format)
                    ? List.of(long.class, Long.class) : List.of(int.class, Integer.class));
            case "boolean" -> assertThat(java).as(where).isIn(boolean.class, Boolean.class);
            case "array" -> {
                assertThat(java).as(where).isInstanceOf(ParameterizedType.class);
                ParameterizedType list = (ParameterizedType) java;
                assertThat(list.getRawType()).as(where).isEqualTo(List.class);
                assertSameType(where + "[]", schema.path("items"), list.getActualTypeArguments()[0]);
            }
            default -> fail("%s: unexpected spec type %s", where, schema);
        }
    }

    private static void assertEnum(String where, String specName, Type java) {
        assertThat(java).as(where).isInstanceOf(Class.class);
        assertThat(((Class<?>) java).isEnum()).as("%s is an enum", where).isTrue();
        assertThat(((Class<?>) java).getSimpleName()).as("%s: the enum's name", where).isEqualTo(specName);
    }

    /** Every named enum of the spec: x-ms-enum name to values, wherever it is declared. */
    private static Map<String, List<String>> specEnums() {
        Map<String, List<String>> enums = new HashMap<>();
        collectEnums(BatchSpec.definitions(), enums);
        return enums;
    }

    private static void collectEnums(JsonNode node, Map<String, List<String>> enums) {
        if (node.isObject() && node.has("enum") && node.path("x-ms-enum").has("name")) {
            List<String> values = new ArrayList<>();
            node.path("enum").forEach(value -> values.add(value.asText()));
            List<String> previous = enums.put(node.path("x-ms-enum").path("name").asText(), values);
            assertThat(previous == null || previous.equals(values)).as("one set of values per enum name").isTrue();
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            collectEnums(children.next(), enums);
        }
    }

    private static boolean mentions(JsonNode node, String enumName) {
        if (node.isObject() && (enumName.equals(node.path("x-ms-enum").path("name").asText())
                || ("#/definitions/" + enumName).equals(node.path("$ref").asText()))) {
            return true;
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            if (mentions(children.next(), enumName)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> concat(List<String> first, String... more) {
        Set<String> all = new LinkedHashSet<>(first);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
