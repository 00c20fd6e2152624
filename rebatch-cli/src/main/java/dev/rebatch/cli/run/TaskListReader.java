package dev.rebatch.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The file's "tasks": a list of Task_Add bodies. */
final class TaskListReader {

    private static final JsonPath TASKS = JsonPath.ROOT.property("tasks");

    private final StrictBatchMapper mapper;
    private final JobFileErrors errors;

    TaskListReader(StrictBatchMapper mapper, JobFileErrors errors) {
        this.mapper = mapper;
        this.errors = errors;
    }

    /** Each task in the file's order; none when the file has no list ({@code node} absent or null). */
    List<TaskInFile> read(JsonNode node) throws JobFileException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw errors.expected(TASKS, "a list of tasks", node);
        }
        List<TaskInFile> tasks = new ArrayList<>(node.size());
        for (int index = 0; index < node.size(); index++) {
            JsonPath path = TASKS.index(index);
            tasks.add(new TaskInFile(mapper.task(node.get(index), path, "a task"), path, null));
        }
        return tasks;
    }
}
