package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatch contract against the embedded default, as the service opens it, and the plan of its queue query. */
class EmbeddedDispatchStoreTest extends DispatchStoreContract {

    @TempDir
    static Path dataDir;

    @Override
    protected BatchStore openStore() {
        return BatchStores.open(null, dataDir);
    }

    @Test
    void theDispatchQueryIsAnIndexRangeScanInQueueOrder() throws Exception {
        String query = JdbcDispatch.queueQuery(Dialect.SQLITE, true).replace("?", "'x'");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("rebatch.sqlite"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + query)) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) {
                plan.append(rs.getString("detail")).append('\n');
            }
            assertThat(plan.toString()).contains("USING INDEX resources_dispatch_queue (account=? AND queue_pool_key=? "
                    + "AND state=? AND (queue_rank,creation_time,parent_key,id_key)>(?,?,?,?))")
                    .doesNotContain("TEMP B-TREE");
        }
    }
}
