package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatch contract against the embedded default, as the service opens it, and the plans of its queue query and of the tasks a node holds. */
class EmbeddedDispatchStoreTest extends DispatchStoreContract {

    @TempDir
    static Path dataDir;

    @Override
    protected BatchStore openStore() {
        return BatchStores.open(null, dataDir);
    }

    @Test
    void theDispatchQueryIsAnIndexRangeScanInQueueOrder() throws Exception {
        String plan = planOf(JdbcDispatch.queueQuery(Dialect.SQLITE, true).replace("?", "'x'"));

        assertThat(plan).contains("USING INDEX resources_dispatch_queue (account=? AND queue_pool_key=? "
                + "AND state=? AND (queue_rank,creation_time,parent_key,id_key)>(?,?,?,?))")
                .doesNotContain("TEMP B-TREE");
    }

    @Test
    void theTasksOfANodeAreReadThroughTheLeaseNodeIndexNotThePrimaryKey() throws Exception {
        String plan = planOf(JdbcDispatch.heldByQuery().replace("?", "'x'"));

        assertThat(plan).contains("USING INDEX resources_by_lease_node (lease_node=? AND state=?)")
                .doesNotContain("sqlite_autoindex_resources");
    }

    private static String planOf(String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("rebatch.sqlite"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + query)) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) {
                plan.append(rs.getString("detail")).append('\n');
            }
            return plan.toString();
        }
    }
}
