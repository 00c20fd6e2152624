package dev.rebatch.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
                + "AND (queue_rank,creation_time,parent_key,id_key)>(?,?,?,?))")
                .doesNotContain("TEMP B-TREE");
    }

    @Test
    void onlyWaitingTasksAreInTheDispatchQueueIndex() throws Exception {
        // The index (V6) holds waiting tasks only: a task's grant removes its entry, its completion touches none.
        assertThat(planOf("SELECT id_key FROM resources WHERE account = 'a' AND kind = 'TASK' "
                + "AND queue_pool_key = 'p' AND state = 'completed'")).doesNotContain("resources_dispatch_queue");
        assertThat(planOf("SELECT id_key FROM resources WHERE account = 'a' AND kind = 'TASK' "
                + "AND queue_pool_key = 'p' AND state = 'active'")).contains("resources_dispatch_queue");
    }

    @Test
    void resourcesInAStateAreFoundThroughTheirIndexWhichHoldsNoTask() throws Exception {
        // With its parameters, as the store prepares it.
        assertThat(planOf(ResourceRows.SELECT_IN_STATE)).contains("USING INDEX resources_by_kind_state (kind=? AND "
                + "state=?)");
        assertThat(planOf("SELECT id_key FROM resources WHERE kind = 'TASK' AND state = 'active'"))
                .doesNotContain("resources_by_kind_state");
    }

    @Test
    void theTasksOfANodeAreReadThroughTheHeldTasksIndexNotAWalkOfTheAccount() throws Exception {
        // With its parameters, as the store prepares it: SQLite plans before it sees their values.
        String plan = planOf(JdbcDispatch.heldByQuery());

        assertThat(plan).contains("USING INDEX resources_held_by_node (account=? AND kind=? AND lease_node=?)")
                .doesNotContain("sqlite_autoindex_resources").doesNotContain("resources_by_result");
    }

    @Test
    void tasksReadByKeyAreOnePrimaryKeySeekPerListedId() throws Exception {
        String plan = planOf(JdbcDispatch.idListQuery(3));

        assertThat(plan).contains("USING INDEX sqlite_autoindex_resources_1 (account=? AND kind=? AND parent_key=? "
                + "AND id_key=?)").doesNotContain("SCAN");
    }

    @Test
    void countsAndFiltersByResultUseTheResultIndexWhichHoldsOnlyEndedTasks() throws Exception {
        // V7: the index holds rows with a result only; the queries that read it constrain the result, as these do.
        assertThat(planOf("SELECT execution_result, COUNT(*) FROM resources WHERE account = 'a' AND kind = 'TASK' "
                + "AND parent_key = 'j' AND execution_result IS NOT NULL GROUP BY execution_result"))
                .contains("resources_by_result");
        assertThat(planOf("SELECT id_key FROM resources WHERE account = 'a' AND kind = 'TASK' AND parent_key = 'j' "
                + "AND execution_result = 'failure'")).contains("resources_by_result");
        assertThat(planOf("SELECT id_key FROM resources WHERE account = 'a' AND kind = 'TASK' AND parent_key = 'j' "
                + "AND execution_result IS NULL")).doesNotContain("resources_by_result");
    }

    @Test
    void noPartialIndexPredicateComparesAKeyColumnWithAValue() throws Exception {
        // SQLite compiles a statement again at every execution when it compares a column with a parameter and a
        // partial index's predicate compares that column with a value (it checks whether the bound value could use
        // the index). Every key lookup binds account, kind, parent_key and id_key, so no predicate may compare them
        // (V8 took kind = 'TASK' out of the dispatch queue's: it made every grant and completion compile anew).
        List<String> predicates = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("rebatch.sqlite"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE type = 'index' "
                        + "AND tbl_name = 'resources' AND sql LIKE '% WHERE %'")) {
            while (rs.next()) {
                predicates.add(rs.getString(1).substring(rs.getString(1).indexOf(" WHERE ")));
            }
        }

        assertThat(predicates).as("the partial indexes' predicates").isNotEmpty()
                .noneMatch(p -> p.matches("(?s).*\\b(account|kind|parent_key|id_key)\\s*(=|IN\\b).*"));
    }

    private static String planOf(String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("rebatch.sqlite"));
                PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN " + query);
                ResultSet rs = s.executeQuery()) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) {
                plan.append(rs.getString("detail")).append('\n');
            }
            return plan.toString();
        }
    }
}
