package dev.rebatch.client.soak;

import java.util.List;
import java.util.Map;

/**
 * The operations of the fault soak, implemented once per client under test (the Rebatch SDK here, the official
 * Java SDK in rebatch-bench). Each method returns normally on success and throws on failure.
 */
public interface SoakClient {

    void createJob(String jobId, String poolId) throws Exception;

    void disableJob(String jobId) throws Exception;

    void enableJob(String jobId) throws Exception;

    void terminateJob(String jobId) throws Exception;

    void createTask(String jobId, String taskId, String commandLine) throws Exception;

    /** Adds the tasks (id → command line); returns the ids that were not added, each with why. */
    Map<String, String> addTasks(String jobId, List<Map.Entry<String, String>> tasks) throws Exception;

    /** How many HTTP requests the client has sent so far. */
    long requestsSent();

    /**
     * True when {@code failure} says what happened in a way a caller can act on: typed, with the reason, and — when
     * the change was in fact {@code applied} — saying that it may have been.
     */
    boolean explains(Exception failure, boolean applied);

    /** A short kind of failure for the report ("409 JobExists", "NETWORK_UNKNOWN"). */
    String kindOf(Exception failure);
}
