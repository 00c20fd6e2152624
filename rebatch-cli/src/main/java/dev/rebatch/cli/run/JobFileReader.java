package dev.rebatch.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job file in three passes: the text as JSON (syntax errors with the parser's line and column:
 * {@link JobFileSyntax}), each part as its Batch record through a strict mapper (unknown properties, wrong types and
 * unknown enum values refused, with the path: {@link StrictBatchMapper}), then the checks the service would make too
 * late or not at all: ids, duplicates, dependencies on tasks that are not in the file, cycles. Every problem after
 * the first pass is located in the text by its path ({@link JobFileErrors}).
 */
final class JobFileReader {

    private final byte[] content;
    private final JobFileErrors errors;

    JobFileReader(byte[] content, String source) {
        this.content = content;
        this.errors = new JobFileErrors(content, source);
    }

    JobFile read() throws JobFileException {
        ObjectNode document = new JobFileSyntax(errors).parse(content);
        StrictBatchMapper mapper = new StrictBatchMapper(document, errors);
        PoolSpec pool = new PoolSpecReader(mapper, errors).read(document.get("pool"));
        JobSpec job = new JobSpecReader(mapper, errors).read(document.get("job"), pool);
        List<TaskInFile> tasks = new ArrayList<>(new TaskListReader(mapper, errors).read(document.get("tasks")));
        tasks.addAll(new TaskTemplateReader(mapper, errors).read(document.get("taskTemplate")));
        if (tasks.isEmpty()) {
            throw errors.at(JsonPath.ROOT, "no tasks: give \"tasks\" (a list of tasks) or a \"taskTemplate\"");
        }
        new TaskChecks(errors).check(tasks);
        new DependencyChecks(errors).check(tasks);
        List<String> notes = new ArrayList<>();
        job = new JobSettingsForTasks(errors).fill(job, tasks, notes);
        List<List<TaskSpec>> waves = new DependencyWaves(errors).of(tasks, notes);
        return new JobFile(pool, job, tasks.stream().map(TaskInFile::task).toList(), waves, notes);
    }
}
