package dev.rebatch.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.PoolInformation;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.server.api.BatchIds;

/**
 * The file's "job": a Job_Add body, checked as the service would check it, and pointed at the pool it runs on (the
 * file's pool, which its poolInfo may only repeat).
 */
final class JobSpecReader {

    private static final JsonPath JOB = JsonPath.ROOT.property("job");

    private final StrictBatchMapper mapper;
    private final JobFileErrors errors;

    JobSpecReader(StrictBatchMapper mapper, JobFileErrors errors) {
        this.mapper = mapper;
        this.errors = errors;
    }

    /**
     * The job, an empty one when the file has none ({@code node} absent or null), with its poolInfo set.
     *
     * @param pool the file's pool, or {@code null}
     */
    JobSpec read(JsonNode node, PoolSpec pool) throws JobFileException {
        JobSpec job = node == null || node.isNull()
                ? new JobSpec(null, null, null, null, null, null, null, null, null, null, null, null)
                : mapper.convert(node, JOB, JobSpec.class, "a job");
        if (job.id() != null && !BatchIds.isValid(job.id())) {
            throw errors.invalidId(JOB.property("id"), job.id(), "job id");
        }
        PoolInformation poolInfo = job.poolInfo();
        JsonPath poolIdPath = JOB.property("poolInfo").property("poolId");
        if (poolInfo != null && poolInfo.poolId() != null) {
            if (!BatchIds.isValid(poolInfo.poolId())) {
                throw errors.invalidId(poolIdPath, poolInfo.poolId(), "pool id");
            }
            if (pool != null && !poolInfo.poolId().equalsIgnoreCase(pool.id())) {
                throw errors.at(poolIdPath, "the job runs on pool " + poolInfo.poolId() + " but the file's pool is "
                        + pool.id() + ": leave poolInfo out, or make them the same");
            }
        } else if (poolInfo != null && pool == null) {
            throw errors.at(JOB.property("poolInfo"), "poolInfo needs a poolId (or leave it out for the pool \""
                    + JobFile.DEFAULT_POOL + "\")");
        }
        if (job.maxParallelTasks() != null && job.maxParallelTasks() != -1 && job.maxParallelTasks() < 1) {
            throw errors.at(JOB.property("maxParallelTasks"), "must be -1 (no limit) or at least 1, was "
                    + job.maxParallelTasks());
        }
        if (job.priority() != null && (job.priority() < -1000 || job.priority() > 1000)) {
            throw errors.at(JOB.property("priority"), "must be from -1000 to 1000, was " + job.priority());
        }
        String poolId = pool != null ? pool.id() : poolInfo != null && poolInfo.poolId() != null
                ? poolInfo.poolId() : JobFile.DEFAULT_POOL;
        return job.withPoolInfo(new PoolInformation(poolId));
    }
}
