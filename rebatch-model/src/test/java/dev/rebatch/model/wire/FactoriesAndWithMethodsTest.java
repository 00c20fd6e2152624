package dev.rebatch.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebatch.model.common.AutoUserScope;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.common.ElevationLevel;
import dev.rebatch.model.common.EnvironmentSetting;
import dev.rebatch.model.common.ResourceFile;
import dev.rebatch.model.common.UserIdentity;
import dev.rebatch.model.job.CloudJob;
import dev.rebatch.model.job.JobPatch;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.OnAllTasksComplete;
import dev.rebatch.model.job.OnTaskFailure;
import dev.rebatch.model.pool.CloudPool;
import dev.rebatch.model.pool.ComputeNodeDeallocationOption;
import dev.rebatch.model.pool.ComputeNodeFillType;
import dev.rebatch.model.pool.ImageReference;
import dev.rebatch.model.pool.PoolResize;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.pool.StartTask;
import dev.rebatch.model.task.CloudTask;
import dev.rebatch.model.task.DependencyAction;
import dev.rebatch.model.task.ExitConditions;
import dev.rebatch.model.task.ExitOptions;
import dev.rebatch.model.task.JobAction;
import dev.rebatch.model.task.TaskAddCollection;
import dev.rebatch.model.task.TaskDependencies;
import dev.rebatch.model.task.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The factories and with-methods build exactly the bodies the spec describes. */
class FactoriesAndWithMethodsTest {

    private final ObjectMapper json = BatchJson.mapper();

    @Test
    void taskSpecOfIsTheMinimalTaskAndWithMethodsAddToIt() throws Exception {
        TaskSpec task = TaskSpec.of("frame-2", "render 2")
                .withDisplayName("Frame 2")
                .withMaxTaskRetryCount(3)
                .withMaxWallClockTime(Duration.ofMinutes(30))
                .withRetentionTime(Duration.ofDays(1))
                .withRequiredSlots(2)
                .withDependsOn(TaskDependencies.onTasks("frame-1").andRange(10, 20))
                .withExitConditions(ExitConditions.empty()
                        .withExitCode(3, new ExitOptions(JobAction.NONE, DependencyAction.SATISFY))
                        .withExitCodeRange(100, 199, new ExitOptions(JobAction.DISABLE, null))
                        .withDefaultOptions(new ExitOptions(JobAction.TERMINATE, DependencyAction.BLOCK)))
                .withEnvironmentSetting("FRAME", "2")
                .withEnvironmentSetting("QUALITY", "high")
                .withResourceFiles(List.of(ResourceFile.fromHttpUrl("https://files.example.com/scene", "scene")))
                .withUserIdentity(UserIdentity.autoUser(AutoUserScope.TASK, ElevationLevel.ADMIN));

        assertWire(task, """
                {"id":"frame-2","displayName":"Frame 2","commandLine":"render 2",
                 "constraints":{"maxWallClockTime":"PT30M","retentionTime":"PT24H","maxTaskRetryCount":3},
                 "requiredSlots":2,
                 "dependsOn":{"taskIds":["frame-1"],"taskIdRanges":[{"start":10,"end":20}]},
                 "exitConditions":{"exitCodes":[{"code":3,"exitOptions":{"jobAction":"none","dependencyAction":"satisfy"}}],
                   "exitCodeRanges":[{"start":100,"end":199,"exitOptions":{"jobAction":"disable"}}],
                   "default":{"jobAction":"terminate","dependencyAction":"block"}},
                 "environmentSettings":[{"name":"FRAME","value":"2"},{"name":"QUALITY","value":"high"}],
                 "resourceFiles":[{"httpUrl":"https://files.example.com/scene","filePath":"scene"}],
                 "userIdentity":{"autoUser":{"scope":"task","elevationLevel":"admin"}}}""");
        assertWire(TaskSpec.of("t", "c").withDependsOnTasks("a", "b"),
                "{\"id\":\"t\",\"commandLine\":\"c\",\"dependsOn\":{\"taskIds\":[\"a\",\"b\"]}}");
    }

    @Test
    void constraintShortcutsKeepTheOtherConstraints() {
        TaskSpec task = TaskSpec.of("t", "c").withMaxWallClockTime(Duration.ofHours(1)).withMaxTaskRetryCount(-1);
        JobSpec job = JobSpec.of("j", "p").withMaxTaskRetryCount(2).withMaxWallClockTime(Duration.ofHours(4));

        assertThat(task.constraints().maxWallClockTime()).isEqualTo(Duration.ofHours(1));
        assertThat(task.constraints().maxTaskRetryCount()).isEqualTo(-1);
        assertThat(task.constraints().retentionTime()).isNull();
        assertThat(job.constraints().maxTaskRetryCount()).isEqualTo(2);
        assertThat(job.constraints().maxWallClockTime()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void jobSpecOfIsTheMinimalJobAndWithMethodsAddToIt() throws Exception {
        assertWire(JobSpec.of("j", "pool-1"), "{\"id\":\"j\",\"poolInfo\":{\"poolId\":\"pool-1\"}}");

        JobSpec job = JobSpec.of("nightly", "pool-1")
                .withDisplayName("Nightly")
                .withPriority(100)
                .withMaxParallelTasks(8)
                .withAllowTaskPreemption(false)
                .withUsesTaskDependencies(true)
                .withOnAllTasksComplete(OnAllTasksComplete.TERMINATE_JOB)
                .withOnTaskFailure(OnTaskFailure.PERFORM_EXIT_OPTIONS_JOB_ACTION)
                .withMaxWallClockTime(Duration.ofHours(2))
                .withMaxTaskRetryCount(1)
                .withCommonEnvironmentSetting("OUT", "/mnt/out")
                .withMetadataItem("team", "render");

        assertWire(job, """
                {"id":"nightly","displayName":"Nightly","priority":100,"maxParallelTasks":8,"allowTaskPreemption":false,
                 "constraints":{"maxWallClockTime":"PT2H","maxTaskRetryCount":1},"poolInfo":{"poolId":"pool-1"},
                 "onAllTasksComplete":"terminatejob","onTaskFailure":"performexitoptionsjobaction",
                 "usesTaskDependencies":true,"commonEnvironmentSettings":[{"name":"OUT","value":"/mnt/out"}],
                 "metadata":[{"name":"team","value":"render"}]}""");
        assertWire(JobPatch.empty().withPriority(5).withOnAllTasksComplete(OnAllTasksComplete.TERMINATE_JOB),
                "{\"priority\":5,\"onAllTasksComplete\":\"terminatejob\"}");
    }

    @Test
    void poolSpecOfIsAFixedSizePoolAndWithMethodsAddToIt() throws Exception {
        assertWire(PoolSpec.of("p", "standard_d2s_v3", 2),
                "{\"id\":\"p\",\"vmSize\":\"standard_d2s_v3\",\"targetDedicatedNodes\":2}");

        PoolSpec pool = PoolSpec.of("p", "standard_d2s_v3", 2)
                .withVirtualMachineConfiguration(
                        ImageReference.marketplace("canonical", "ubuntu-24_04-lts", "server", "latest"),
                        "batch.node.ubuntu 24.04")
                .withTaskSlotsPerNode(4)
                .withTaskSchedulingPolicy(ComputeNodeFillType.PACK)
                .withStartTask(StartTask.of("./setup.sh").withWaitForSuccess(true).withMaxTaskRetryCount(1))
                .withResizeTimeout(Duration.ofMinutes(20))
                .withMetadataItem("team", "render");

        assertWire(pool, """
                {"id":"p","vmSize":"standard_d2s_v3","targetDedicatedNodes":2,
                 "virtualMachineConfiguration":{"imageReference":{"publisher":"canonical","offer":"ubuntu-24_04-lts",
                   "sku":"server","version":"latest"},"nodeAgentSKUId":"batch.node.ubuntu 24.04"},
                 "taskSlotsPerNode":4,"taskSchedulingPolicy":{"nodeFillType":"pack"},
                 "startTask":{"commandLine":"./setup.sh","maxTaskRetryCount":1,"waitForSuccess":true},
                 "resizeTimeout":"PT20M","metadata":[{"name":"team","value":"render"}]}""");
    }

    @Test
    void autoScaleReplacesTheFixedTargets() throws Exception {
        PoolSpec pool = PoolSpec.of("p", "vm", 2).withTargetLowPriorityNodes(1)
                .withAutoScale("$TargetDedicatedNodes = 1;", Duration.ofMinutes(5));

        assertWire(pool, """
                {"id":"p","vmSize":"vm","enableAutoScale":true,"autoScaleFormula":"$TargetDedicatedNodes = 1;",
                 "autoScaleEvaluationInterval":"PT5M"}""");
    }

    @Test
    void poolResizeOfSetsBothTargets() throws Exception {
        assertWire(PoolResize.of(3, 0).withResizeTimeout(Duration.ofMinutes(10))
                        .withNodeDeallocationOption(ComputeNodeDeallocationOption.REQUEUE),
                "{\"targetDedicatedNodes\":3,\"targetLowPriorityNodes\":0,\"resizeTimeout\":\"PT10M\","
                        + "\"nodeDeallocationOption\":\"requeue\"}");
    }

    @Test
    void anAddCollectionWrapsItsTasksInValue() throws Exception {
        assertWire(TaskAddCollection.of(TaskSpec.of("a", "x"), TaskSpec.of("b", "y")),
                "{\"value\":[{\"id\":\"a\",\"commandLine\":\"x\"},{\"id\":\"b\",\"commandLine\":\"y\"}]}");
    }

    @Test
    void listsAreCopiedToImmutableListsAndNullStaysNull() {
        List<EnvironmentSetting> settings = new ArrayList<>(List.of(new EnvironmentSetting("A", "1")));
        TaskSpec task = TaskSpec.of("t", "c").withEnvironmentSettings(settings);
        settings.add(new EnvironmentSetting("B", "2"));

        assertThat(task.environmentSettings()).containsExactly(new EnvironmentSetting("A", "1"));
        assertThatThrownBy(() -> task.environmentSettings().add(new EnvironmentSetting("C", "3")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(TaskSpec.of("t", "c").environmentSettings()).isNull();
        assertThat(TaskSpec.of("t", "c").withEnvironmentSettings(null).environmentSettings()).isNull();
    }

    @Test
    void withMethodsLeaveTheOriginalUnchanged() {
        TaskSpec original = TaskSpec.of("t", "c").withEnvironmentSetting("A", "1");
        TaskSpec changed = original.withEnvironmentSetting("B", "2").withMaxTaskRetryCount(5);

        assertThat(original.environmentSettings()).hasSize(1);
        assertThat(original.constraints()).isNull();
        assertThat(changed.environmentSettings()).hasSize(2);
    }

    @Test
    void resourcesGiveBackTheirSpecs() throws Exception {
        JobSpec job = json.readValue(WireRoundTripTest.resource("job-get.json"), CloudJob.class).toSpec();
        TaskSpec task = json.readValue(WireRoundTripTest.resource("task-get.json"), CloudTask.class).toSpec();
        PoolSpec pool = json.readValue(WireRoundTripTest.resource("pool-get.json"), CloudPool.class).toSpec();

        assertThat(job.poolInfo().poolId()).isEqualTo("render-pool");
        assertThat(json.readTree(json.writeValueAsString(job)).has("state")).isFalse();
        assertThat(task.commandLine()).isEqualTo("/bin/sh -c 'render --frame 42'");
        assertThat(task.dependsOn().taskIds()).containsExactly("frame-0041");
        assertThat(pool.autoScaleFormula()).isEqualTo("$TargetDedicatedNodes = 3;");
        assertThat(json.readTree(json.writeValueAsString(pool)).has("currentDedicatedNodes")).isFalse();
    }

    private void assertWire(Object value, String expected) throws Exception {
        JsonNode written = json.readTree(json.writeValueAsString(value));
        assertThat(written).isEqualTo(json.readTree(expected));
        assertThat((Object) json.readValue(json.writeValueAsString(value), value.getClass())).isEqualTo(value);
    }
}
