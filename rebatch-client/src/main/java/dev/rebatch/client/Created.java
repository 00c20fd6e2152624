package dev.rebatch.client;

import java.time.Instant;

/**
 * A create that succeeded.
 *
 * @param id              the new resource's id
 * @param eTag            its ETag, or {@code null} when the answer had none
 * @param lastModified    its Last-Modified, or {@code null}
 * @param confirmedByRead true when the service refused a retry with 409 *Exists after an earlier attempt whose
 *                        outcome was unknown, and the SDK read the resource and found exactly what this call sent
 */
public record Created(String id, String eTag, Instant lastModified, boolean confirmedByRead) {}
