package dev.rebatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.server.TestService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PoolCommandTest {

    @RegisterExtension
    static final TestService service = TestService.inTemporaryDirectory();

    final Map<String, String> env = Cli.environmentFor(service);

    @Test
    void createListShowResizeDelete() throws Exception {
        Cli.Result created = Cli.run(env, "pool", "create", "render-pool", "--vm-size", "standard_d2s_v3",
                "--nodes", "2", "--task-slots-per-node", "4");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("Created pool render-pool.\n");

        Cli.Result table = Cli.run(env, "pool", "list");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out().lines().findFirst().orElseThrow())
                .matches("ID\\s+STATE\\s+ALLOCATION\\s+VM SIZE\\s+DEDICATED\\s+LOW PRIORITY\\s+CREATED");
        assertThat(table.out()).containsPattern("render-pool\\s+active\\s+\\w+\\s+standard_d2s_v3\\s+\\d+/2\\s");

        JsonNode pool = BatchJson.mapper().readTree(Cli.run(env, "pool", "show", "render-pool", "-o", "json").out());
        assertThat(pool.get("vmSize").asText()).isEqualTo("standard_d2s_v3");
        assertThat(pool.get("targetDedicatedNodes").asInt()).isEqualTo(2);
        assertThat(pool.get("taskSlotsPerNode").asInt()).isEqualTo(4);

        Cli.Result resized = Cli.run(env, "pool", "resize", "render-pool", "--nodes", "5");
        assertThat(resized.exitCode()).as(resized.toString()).isZero();
        assertThat(resized.out()).contains("Resizing pool render-pool to 5 dedicated nodes.");
        JsonNode after = BatchJson.mapper().readTree(Cli.run(env, "pool", "show", "render-pool", "-o", "json").out());
        assertThat(after.get("targetDedicatedNodes").asInt()).isEqualTo(5);

        Cli.Result deleted = Cli.run(env, "pool", "delete", "render-pool");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).isEqualTo("Deleting pool render-pool.\n");
        Cli.Result gone = Cli.run(env, "pool", "list", "--filter", "id eq 'render-pool'", "--select", "id,state");
        assertThat(gone.out()).doesNotContain("active");
    }

    @Test
    void createFromJsonFile(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("pool.json");
        Files.writeString(body, """
                {"vmSize": "standard_d4s_v3", "targetDedicatedNodes": 1,
                 "virtualMachineConfiguration": {
                   "imageReference": {"publisher": "canonical", "offer": "ubuntu-24_04-lts", "sku": "server"},
                   "nodeAgentSKUId": "batch.node.ubuntu 24.04"}}
                """);
        Cli.Result created = Cli.run(env, "pool", "create", "json-pool", "--json", body.toString(), "-o", "json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        JsonNode pool = BatchJson.mapper().readTree(created.out());
        assertThat(pool.get("id").asText()).isEqualTo("json-pool");
        assertThat(pool.at("/virtualMachineConfiguration/nodeAgentSKUId").asText()).isEqualTo("batch.node.ubuntu 24.04");
    }

    @Test
    void missingPoolAndNodes() {
        Cli.Result missing = Cli.run(env, "pool", "show", "no-such-pool");
        assertThat(missing.exitCode()).isEqualTo(Rebatch.SERVICE_REFUSED);
        assertThat(missing.err()).startsWith("Error: 404 PoolNotFound: ")
                .contains("list pools with: rebatch pool list");

        assertThat(Cli.run(env, "pool", "create", "node-pool", "--vm-size", "standard_d2s_v3").exitCode()).isZero();
        Cli.Result nodes = Cli.run(env, "node", "list", "node-pool");
        assertThat(nodes.exitCode()).as(nodes.toString()).isZero();
        assertThat(nodes.out()).isEmpty();
        assertThat(nodes.err()).isEqualTo("No nodes found in pool node-pool.\n");
        assertThat(Cli.run(env, "node", "list", "node-pool", "-o", "json").out().strip()).isEqualTo("[ ]");

        Cli.Result node = Cli.run(env, "node", "show", "node-pool", "tvm-1");
        assertThat(node.exitCode()).isEqualTo(Rebatch.SERVICE_REFUSED);
        assertThat(node.err()).startsWith("Error: 404 NodeNotFound: ")
                .contains("list the pool's nodes with: rebatch node list node-pool");

        Cli.Result noVmSize = Cli.run(env, "pool", "create", "sizeless");
        assertThat(noVmSize.exitCode()).isEqualTo(Rebatch.USAGE);
        assertThat(noVmSize.err()).contains("Missing --vm-size");
    }
}
