package dev.rebatch.client.soak;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one client did through one fault schedule.
 *
 * @param operations   calls made (creates, actions, and each task of a bulk add)
 * @param succeeded    calls that reported success
 * @param failed       calls that reported failure
 * @param unexplained  failures that do not say what happened: untyped, or a refusal of a change that the service in
 *                     fact applied (a retried create told *Exists with no hint that its first attempt worked)
 * @param lost         successes the service does not show (a create reported done that does not exist)
 * @param duplicates   resources the service holds more than once or that the workload never asked for
 * @param requests     HTTP requests sent
 * @param elapsed      wall-clock time of the workload
 * @param failureKinds   failures by kind ("409 JobExists"...)
 * @param failureSamples the message of the first failure of each kind, to read what the client said
 */
public record SoakReport(long operations, long succeeded, long failed, long unexplained, long lost, long duplicates,
        long requests, Duration elapsed, Map<String, Long> failureKinds, List<String> failureSamples) {

    public String describe() {
        return String.format("%d operations in %.1f s: %d succeeded, %d failed (%d unexplained), %d lost, "
                        + "%d duplicates, %d requests; failures %s", operations, elapsed.toMillis() / 1000.0,
                succeeded, failed, unexplained, lost, duplicates, requests, failureKinds);
    }
}
