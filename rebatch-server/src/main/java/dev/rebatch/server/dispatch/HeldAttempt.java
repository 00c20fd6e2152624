package dev.rebatch.server.dispatch;

/** An attempt a node says it is running: the task and the epoch of the lease it was granted under. */
public record HeldAttempt(String jobId, String taskId, long epoch) {}
