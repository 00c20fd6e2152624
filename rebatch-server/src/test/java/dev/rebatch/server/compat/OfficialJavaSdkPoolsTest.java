package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.protocol.models.AllocationState;
import com.microsoft.azure.batch.protocol.models.BatchErrorException;
import com.microsoft.azure.batch.protocol.models.CloudPool;
import com.microsoft.azure.batch.protocol.models.ComputeNodeDeallocationOption;
import com.microsoft.azure.batch.protocol.models.ComputeNodeRebootOption;
import com.microsoft.azure.batch.protocol.models.DisableComputeNodeSchedulingOption;
import com.microsoft.azure.batch.protocol.models.ImageReference;
import com.microsoft.azure.batch.protocol.models.MetadataItem;
import com.microsoft.azure.batch.protocol.models.PoolAddParameter;
import com.microsoft.azure.batch.protocol.models.PoolNodeCounts;
import com.microsoft.azure.batch.protocol.models.PoolPatchParameter;
import com.microsoft.azure.batch.protocol.models.PoolState;
import com.microsoft.azure.batch.protocol.models.PoolUpdatePropertiesParameter;
import com.microsoft.azure.batch.protocol.models.StartTask;
import com.microsoft.azure.batch.protocol.models.VirtualMachineConfiguration;
import dev.rebatch.server.TestService;
import java.util.List;
import org.joda.time.Period;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pool and compute node operations through the official Java SDK, unchanged, against the running service. */
class OfficialJavaSdkPoolsTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();
    static final BatchClient batch = service.officialClient();

    private static VirtualMachineConfiguration ubuntu() {
        return new VirtualMachineConfiguration()
                .withImageReference(new ImageReference().withPublisher("canonical")
                        .withOffer("0001-com-ubuntu-server-jammy").withSku("22_04-lts").withVersion("latest"))
                .withNodeAgentSKUId("batch.node.ubuntu 22.04");
    }

    private static void create(String poolId, int dedicated) throws Exception {
        batch.poolOperations().createPool(poolId, "standard_d2s_v3", ubuntu(), dedicated);
    }

    private static void assertBatchError(ThrowingCall call, int status, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BatchErrorException.class, error -> {
            assertThat(error.response().code()).isEqualTo(status);
            assertThat(error.body().code()).isEqualTo(code);
        });
    }

    @Test
    void createGetExistsAndListAPool() throws Exception {
        create("Pool-Create", 2);

        CloudPool pool = batch.poolOperations().getPool("pool-create");

        assertThat(pool.id()).as("ids are case-insensitive and case-preserving").isEqualTo("Pool-Create");
        assertThat(pool.state()).isEqualTo(PoolState.ACTIVE);
        assertThat(pool.allocationState()).isEqualTo(AllocationState.STEADY);
        assertThat(pool.vmSize()).isEqualTo("standard_d2s_v3");
        assertThat(pool.targetDedicatedNodes()).isEqualTo(2);
        assertThat(pool.currentDedicatedNodes()).as("nodes arrive with the execution issue").isZero();
        assertThat(pool.taskSlotsPerNode()).isEqualTo(1);
        assertThat(pool.taskSchedulingPolicy().nodeFillType().toString()).isEqualTo("spread");
        assertThat(pool.virtualMachineConfiguration().nodeAgentSKUId()).isEqualTo("batch.node.ubuntu 22.04");
        assertThat(pool.eTag()).startsWith("0x");
        assertThat(pool.url()).isEqualTo(service.endpoint() + "/pools/Pool-Create");
        assertThat(batch.poolOperations().existsPool("POOL-CREATE")).isTrue();
        assertThat(batch.poolOperations().existsPool("no-such-pool")).isFalse();
        assertThat(batch.poolOperations().listPools()).extracting(CloudPool::id).contains("Pool-Create");
    }

    @Test
    void aSecondCreateOfTheSameIdIsPoolExists() throws Exception {
        create("pool-twice", 0);

        assertBatchError(() -> create("POOL-TWICE", 1), 409, "PoolExists");
    }

    @Test
    void aMissingPoolIsPoolNotFound() {
        assertBatchError(() -> batch.poolOperations().getPool("no-such-pool"), 404, "PoolNotFound");
        assertBatchError(() -> batch.computeNodeOperations().listComputeNodes("no-such-pool"), 404, "PoolNotFound");
    }

    @Test
    void anAutoScalePoolIsRefusedUntilAutoscaleIsSupported() {
        PoolAddParameter autoScale = new PoolAddParameter().withId("pool-autoscale").withVmSize("standard_d2s_v3")
                .withVirtualMachineConfiguration(ubuntu()).withEnableAutoScale(true)
                .withAutoScaleFormula("$TargetDedicatedNodes = 1;");

        assertThatThrownBy(() -> batch.poolOperations().createPool(autoScale))
                .isInstanceOfSatisfying(BatchErrorException.class, error -> {
                    assertThat(error.response().code()).isEqualTo(400);
                    assertThat(error.body().code()).isEqualTo("InvalidPropertyValue");
                    assertThat(error.body().values()).anySatisfy(detail -> {
                        assertThat(detail.key()).isEqualTo("Reason");
                        assertThat(detail.value()).contains("Autoscale pools are not supported");
                    });
                });
    }

    @Test
    void patchChangesOnlyWhatItNamesAndUpdatePropertiesReplacesAll() throws Exception {
        create("pool-props", 0);
        StartTask startTask = new StartTask().withCommandLine("/bin/sh -c 'echo ready'");

        batch.poolOperations().patchPool("pool-props", new PoolPatchParameter().withStartTask(startTask)
                .withMetadata(List.of(new MetadataItem().withName("team").withValue("render"))));
        CloudPool patched = batch.poolOperations().getPool("pool-props");
        assertThat(patched.startTask().commandLine()).isEqualTo("/bin/sh -c 'echo ready'");
        assertThat(patched.metadata()).extracting(MetadataItem::name).containsExactly("team");

        batch.poolOperations().updatePoolProperties("pool-props", new PoolUpdatePropertiesParameter()
                .withCertificateReferences(List.of()).withApplicationPackageReferences(List.of())
                .withMetadata(List.of(new MetadataItem().withName("owner").withValue("ops"))));
        CloudPool updated = batch.poolOperations().getPool("pool-props");
        assertThat(updated.startTask()).as("update-properties removes what it omits").isNull();
        assertThat(updated.metadata()).extracting(MetadataItem::name).containsExactly("owner");
        assertThat(updated.vmSize()).as("and leaves what it does not cover").isEqualTo("standard_d2s_v3");
    }

    @Test
    void resizeRecordsTheTargetsAndSettlesAtOnce() throws Exception {
        create("pool-resize", 1);

        batch.poolOperations().resizePool("pool-resize", 3, 2, Period.minutes(10),
                ComputeNodeDeallocationOption.TASK_COMPLETION);

        CloudPool resized = batch.poolOperations().getPool("pool-resize");
        assertThat(resized.targetDedicatedNodes()).isEqualTo(3);
        assertThat(resized.targetLowPriorityNodes()).isEqualTo(2);
        assertThat(resized.resizeTimeout()).isEqualTo(Period.minutes(10));
        assertThat(resized.allocationState()).isEqualTo(AllocationState.STEADY);
        assertThat(resized.currentDedicatedNodes()).isZero();
        assertThat(resized.currentLowPriorityNodes()).isZero();
        // The resize is already over, so there is nothing to stop.
        assertBatchError(() -> batch.poolOperations().stopResizePool("pool-resize"), 409,
                "OperationInvalidForCurrentState");
    }

    @Test
    void nodeCountsListEveryPoolWithNoNodes() throws Exception {
        create("pool-counts", 4);

        List<PoolNodeCounts> counts = batch.accountOperations().listPoolNodeCounts();

        assertThat(counts).filteredOn(pool -> pool.poolId().equals("pool-counts")).singleElement()
                .satisfies(pool -> {
                    assertThat(pool.dedicated().total()).isZero();
                    assertThat(pool.dedicated().idle()).isZero();
                    assertThat(pool.lowPriority().total()).isZero();
                });
    }

    @Test
    void aPoolHasNoComputeNodesYet() throws Exception {
        create("pool-nodes", 2);

        assertThat(batch.computeNodeOperations().listComputeNodes("pool-nodes")).isEmpty();
        assertBatchError(() -> batch.computeNodeOperations().getComputeNode("pool-nodes", "tvm-1"), 404,
                "NodeNotFound");
        // The SDK's two-argument reboot and disable-scheduling send a null body and fail client-side: pass options.
        assertBatchError(() -> batch.computeNodeOperations().rebootComputeNode("pool-nodes", "tvm-1",
                ComputeNodeRebootOption.REQUEUE), 404, "NodeNotFound");
        assertBatchError(() -> batch.computeNodeOperations().disableComputeNodeScheduling("pool-nodes", "tvm-1",
                DisableComputeNodeSchedulingOption.REQUEUE), 404, "NodeNotFound");
        assertBatchError(() -> batch.computeNodeOperations().getComputeNode("no-such-pool", "tvm-1"), 404,
                "PoolNotFound");
    }

    @Test
    void deleteIsAcceptedAndThePoolGoes() throws Exception {
        create("pool-delete", 0);

        batch.poolOperations().deletePool("pool-delete");

        // Deletion is asynchronous by contract (202, then "deleting"): poll for its end, bounded to 5 s.
        for (int i = 0; i < 500 && batch.poolOperations().existsPool("pool-delete"); i++) {
            Thread.sleep(10);
        }
        assertThat(batch.poolOperations().existsPool("pool-delete")).isFalse();
        assertBatchError(() -> batch.poolOperations().deletePool("pool-delete"), 404, "PoolNotFound");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
