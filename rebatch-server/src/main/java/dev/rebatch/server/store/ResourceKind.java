package dev.rebatch.server.store;

/** The kinds of Batch resource the store keeps. Tasks belong to a job, nodes to a pool. */
public enum ResourceKind {
    POOL,
    JOB,
    TASK,
    NODE
}
