package dev.rebatch.server.store;

/**
 * Where a job's tasks wait for a node, as copied onto each task row: the job's pool (only while the job may run) and
 * its priority. Copied because the dispatch query must read one index over the tasks, while the facts belong to the
 * job; {@code jobVersion} says which version of the job they were read from, and only a copy from the job's current
 * version is made.
 *
 * @param poolKey    the lowercased id of the pool the tasks run in, or {@code null} when they may not be granted
 *                   (the job is not active, or names no pool)
 * @param priority   the job's priority (-1000..1000); higher is granted first
 * @param jobVersion the version of the job these facts were read from
 */
public record QueueFacts(String poolKey, int priority, long jobVersion) {

    /** Facts that keep tasks out of every pool's queue. */
    public static QueueFacts notQueued(long jobVersion) {
        return new QueueFacts(null, 0, jobVersion);
    }
}
