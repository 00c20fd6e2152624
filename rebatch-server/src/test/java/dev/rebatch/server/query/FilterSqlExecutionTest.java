package dev.rebatch.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.SqlCondition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs compiled filters against real databases, H2 and SQLite (the embedded stores' engines), over a table with
 * the store's filterable columns, and checks which rows come back. This is what proves precedence, NULL semantics
 * and LIKE escaping, not just the SQL text. (PostgreSQL needs a server; its LIKE ... ESCAPE is the same syntax.)
 */
class FilterSqlExecutionTest {

    private static final Map<String, String> DATABASES = Map.of(
            "H2", "jdbc:h2:mem:filter_execution;DB_CLOSE_DELAY=-1",
            "SQLite", "jdbc:sqlite::memory:");

    /** Seven tasks; exit code and result are null until a task has run, as in the store. */
    private static final List<Row> ROWS = List.of(
            new Row("Task-1", "active", "2024-01-01T00:00:00Z", null, null),
            new Row("task-2", "completed", "2024-01-02T00:00:00Z", 0, "success"),
            new Row("task-3", "completed", "2024-01-03T00:00:00Z", 1, "failure"),
            new Row("TASK_4", "completed", "2024-01-04T00:00:00Z", null, "failure"), // could not start
            new Row("task%5", "running", "2024-01-05T00:00:00Z", null, null),
            new Row("taskX6", "completed", "2024-01-06T00:00:00Z", -5, "failure"),
            new Row("task!7", "active", "2024-01-07T00:00:00.000001Z", null, null));

    private static final Map<String, Connection> connections = new java.util.TreeMap<>();

    record Row(String id, String state, String created, Integer exitCode, String result) {}

    @BeforeAll
    static void createTables() throws SQLException {
        for (Map.Entry<String, String> database : DATABASES.entrySet()) {
            Connection connection = DriverManager.getConnection(database.getValue());
            try (var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE resources (id VARCHAR(64) NOT NULL, id_key VARCHAR(64) NOT NULL,"
                        + " state VARCHAR(32) NOT NULL, creation_time BIGINT NOT NULL, last_modified BIGINT NOT NULL,"
                        + " state_transition_time BIGINT NOT NULL, exit_code INTEGER, execution_result VARCHAR(16))");
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Row row : ROWS) {
                    long micros = FilterCompiler.epochMicros(Instant.parse(row.created()));
                    insert.setString(1, row.id());
                    insert.setString(2, row.id().toLowerCase(java.util.Locale.ROOT));
                    insert.setString(3, row.state());
                    insert.setLong(4, micros);
                    insert.setLong(5, micros + 1_000_000);
                    insert.setLong(6, micros + 2_000_000);
                    insert.setObject(7, row.exitCode(), java.sql.Types.INTEGER);
                    insert.setString(8, row.result());
                    insert.executeUpdate();
                }
            }
            connections.put(database.getKey(), connection);
        }
    }

    @AfterAll
    static void closeConnections() throws SQLException {
        for (Connection connection : connections.values()) {
            connection.close();
        }
    }

    static Stream<Arguments> filters() {
        List<Arguments> cases = List.of(
                // NULL semantics: no exit code is not 0, not less than 1, but is "ne 0".
                Arguments.of("executionInfo/exitCode eq 0", List.of("task-2")),
                Arguments.of("executionInfo/exitCode ne 0",
                        List.of("Task-1", "task-3", "TASK_4", "task%5", "taskX6", "task!7")),
                Arguments.of("not (executionInfo/exitCode eq 0)",
                        List.of("Task-1", "task-3", "TASK_4", "task%5", "taskX6", "task!7")),
                Arguments.of("not (executionInfo/exitCode ne 0)", List.of("task-2")),
                Arguments.of("executionInfo/exitCode lt 1", List.of("task-2", "taskX6")),
                Arguments.of("not (executionInfo/exitCode ge 0)",
                        List.of("Task-1", "TASK_4", "task%5", "taskX6", "task!7")),
                Arguments.of("executionInfo/result ne 'failure'", List.of("Task-1", "task-2", "task%5", "task!7")),
                Arguments.of("(state eq 'completed') and (executionInfo/exitCode ne 0)",
                        List.of("task-3", "TASK_4", "taskX6")),
                Arguments.of("executionInfo/result eq 'failure' and executionInfo/exitCode ne 0",
                        List.of("task-3", "TASK_4", "taskX6")),
                // Precedence: and before or, unless parenthesized.
                Arguments.of("state eq 'active' or state eq 'completed' and executionInfo/result eq 'success'",
                        List.of("Task-1", "task-2", "task!7")),
                Arguments.of("(state eq 'active' or state eq 'completed') and executionInfo/result eq 'success'",
                        List.of("task-2")),
                Arguments.of("not state eq 'completed' and not state eq 'active'", List.of("task%5")),
                // Case-insensitive ids and literal LIKE prefixes.
                Arguments.of("id eq 'TASK-1'", List.of("Task-1")),
                Arguments.of("id ne 'task-1' and state eq 'active'", List.of("task!7")),
                Arguments.of("startswith(id, 'TASK')", ROWS.stream().map(Row::id).toList()),
                Arguments.of("startswith(id, 'task_')", List.of("TASK_4")),
                Arguments.of("startswith(id, 'task%')", List.of("task%5")),
                Arguments.of("startswith(id, 'task!')", List.of("task!7")),
                Arguments.of("not startswith(id, 'task-')", List.of("TASK_4", "task%5", "taskX6", "task!7")),
                // Times, including a literal between two microseconds.
                Arguments.of("creationTime ge datetime'2024-01-03T00:00:00Z' and creationTime lt 2024-01-05T00:00:00Z",
                        List.of("task-3", "TASK_4")),
                Arguments.of("creationTime gt datetime'2024-01-06T00:00:00.0000001Z'", List.of("task!7")),
                Arguments.of("creationTime ge datetime'2024-01-01T23:59:59.9999999Z'"
                        + " and creationTime le 2024-01-03T00:00:00Z",
                        List.of("task-2", "task-3")),
                Arguments.of("creationTime eq datetime'2024-01-07T00:00:00.000001Z'", List.of("task!7")),
                Arguments.of("creationTime eq datetime'2024-01-07T00:00:00.0000011Z'", List.of()),
                Arguments.of("lastModified eq datetime'2024-01-02T00:00:01Z'", List.of("task-2")),
                Arguments.of("stateTransitionTime lt datetime'2024-01-02T00:00:02Z'", List.of("Task-1")));
        return connections.keySet().stream()
                .flatMap(database -> cases.stream().map(c -> Arguments.of(database, c.get()[0], c.get()[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("filters")
    void returnsTheMatchingRows(String database, String filter, List<String> expectedIds) throws SQLException {
        SqlCondition condition = ODataFilter.compile(filter, ResourceKind.TASK);
        assertThat(select(connections.get(database), condition)).containsExactlyInAnyOrderElementsOf(expectedIds);
    }

    private static List<String> select(Connection connection, SqlCondition condition) throws SQLException {
        // As the store will: its own conditions first, then the filter appended behind AND.
        String sql = "SELECT id FROM resources WHERE 1=1 AND " + condition.sql();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < condition.parameters().size(); i++) {
                statement.setObject(i + 1, condition.parameters().get(i));
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }
}
