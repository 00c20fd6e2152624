package dev.rebatch.cli.run;

import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.model.task.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A job file of {@code rebatch run}, read and checked: everything needed to create the pool (if the file has one),
 * the job and its tasks.
 *
 * <pre>{@code
 * {
 *   "pool": {...},            optional, a Pool_Add body (PoolSpec); id and vmSize default to "local"
 *   "job": {...},             optional, a Job_Add body (JobSpec); the id is made up when absent
 *   "tasks": [{...}, ...],    Task_Add bodies (TaskSpec)
 *   "taskTemplate": {...}     and/or many tasks in one (see TaskTemplate); an object or a list of them
 * }
 * }</pre>
 *
 * @param pool  the pool to create or use, or {@code null} when the file has none
 * @param job   the job, with the settings its tasks need filled in (see {@code notes}); its id may be null
 * @param tasks every task, tasks first and then each template's in the order of i
 * @param waves the tasks again, in the order to add them: one wave unless a task depends on a range of task ids,
 *              whose parents must exist before it (a range only waits for the tasks that exist), so each wave
 *              holds only tasks whose range parents are in earlier ones
 * @param notes what the reader filled in for the user (a job setting the tasks need), one sentence each
 */
public record JobFile(PoolSpec pool, JobSpec job, List<TaskSpec> tasks, List<List<TaskSpec>> waves,
        List<String> notes) {

    /** The pool of a job file that names none: {@value}. */
    public static final String DEFAULT_POOL = "local";
    /** The vmSize of a pool that names none (Rebatch's local nodes take any size). */
    public static final String DEFAULT_VM_SIZE = "local";

    public JobFile {
        Objects.requireNonNull(job, "job");
        tasks = List.copyOf(tasks);
        waves = waves.stream().map(List::copyOf).toList();
        notes = List.copyOf(notes);
    }

    /**
     * Reads {@code file} ("-" for {@code stdin}).
     *
     * @throws JobFileException when it cannot be read or run, saying where and why
     */
    public static JobFile read(String file, InputStream stdin) throws JobFileException {
        byte[] content;
        String source = file.equals("-") ? "(standard input)" : file;
        try {
            content = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException missing) {
            throw new JobFileException(source, null, 0, 0, "no such file");
        } catch (IOException unreadable) {
            throw new JobFileException(source, null, 0, 0, "cannot read it: " + unreadable.getMessage());
        }
        return parse(content, source);
    }

    /**
     * Parses and checks a job file's content.
     *
     * @param source the file's name, for the messages
     * @throws JobFileException when the content cannot be run, saying where and why
     */
    public static JobFile parse(byte[] content, String source) throws JobFileException {
        return new JobFileReader(content, source).read();
    }

    /** The pool the job runs on: the file's pool, else the job's poolInfo, else {@value #DEFAULT_POOL}. */
    public String poolId() {
        if (pool != null) {
            return pool.id();
        }
        return job.poolInfo() != null && job.poolInfo().poolId() != null ? job.poolInfo().poolId() : DEFAULT_POOL;
    }
}
