package dev.rebatch.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebatch.model.pool.PoolSpec;
import dev.rebatch.server.api.BatchIds;

/**
 * The file's "pool": a Pool_Add body, checked as the service would check it, with Rebatch's local pool filling in
 * what it leaves out.
 */
final class PoolSpecReader {

    private static final JsonPath POOL = JsonPath.ROOT.property("pool");

    private final StrictBatchMapper mapper;
    private final JobFileErrors errors;

    PoolSpecReader(StrictBatchMapper mapper, JobFileErrors errors) {
        this.mapper = mapper;
        this.errors = errors;
    }

    /** The pool, or {@code null} when the file has none ({@code node} absent or null). */
    PoolSpec read(JsonNode node) throws JobFileException {
        if (node == null || node.isNull()) {
            return null;
        }
        PoolSpec pool = mapper.convert(node, POOL, PoolSpec.class, "a pool");
        if (pool.id() != null && !BatchIds.isValid(pool.id())) {
            throw errors.invalidId(POOL.property("id"), pool.id(), "pool id");
        }
        if (pool.vmSize() != null && pool.vmSize().isBlank()) {
            throw errors.at(POOL.property("vmSize"), "vmSize is blank: leave it out for local nodes, or name a size");
        }
        nonNegative(pool.targetDedicatedNodes(), POOL.property("targetDedicatedNodes"));
        nonNegative(pool.targetLowPriorityNodes(), POOL.property("targetLowPriorityNodes"));
        if (pool.taskSlotsPerNode() != null && pool.taskSlotsPerNode() < 1) {
            throw errors.at(POOL.property("taskSlotsPerNode"), "must be at least 1, was " + pool.taskSlotsPerNode());
        }
        return withLocalDefaults(pool);
    }

    /** A pool without an id is the local one; local nodes take any size, so one without a vmSize gets theirs. */
    private static PoolSpec withLocalDefaults(PoolSpec pool) {
        if (pool.id() != null && pool.vmSize() != null) {
            return pool;
        }
        return new PoolSpec(pool.id() == null ? JobFile.DEFAULT_POOL : pool.id(), pool.displayName(),
                pool.vmSize() == null ? JobFile.DEFAULT_VM_SIZE : pool.vmSize(), pool.virtualMachineConfiguration(),
                pool.resizeTimeout(), pool.targetDedicatedNodes(), pool.targetLowPriorityNodes(),
                pool.enableAutoScale(), pool.autoScaleFormula(), pool.enableInterNodeCommunication(),
                pool.taskSlotsPerNode(), pool.taskSchedulingPolicy(), pool.metadata(),
                pool.autoScaleEvaluationInterval(), pool.startTask(), pool.applicationPackageReferences());
    }

    private void nonNegative(Integer value, JsonPath path) throws JobFileException {
        if (value != null && value < 0) {
            throw errors.at(path, "must be 0 or more, was " + value);
        }
    }
}
