package dev.rebatch.server.store;

import java.time.Instant;

/** Builds resources for tests and harnesses. */
final class Resources {

    /** A body of the size of a typical task (command line, a few resource files and settings). */
    static final String TASK_BODY = "{\"id\":\"%s\",\"commandLine\":\"/bin/sh -c 'echo hello from %s && sleep 1'\","
            + "\"resourceFiles\":[{\"httpUrl\":\"https://example.blob.core.windows.net/in/input-%s.dat\","
            + "\"filePath\":\"input.dat\"}],\"environmentSettings\":[{\"name\":\"MODE\",\"value\":\"fast\"}],"
            + "\"constraints\":{\"maxWallClockTime\":\"PT1H\",\"retentionTime\":\"P7D\",\"maxTaskRetryCount\":3},"
            + "\"userIdentity\":{\"autoUser\":{\"scope\":\"pool\",\"elevationLevel\":\"nonadmin\"}}}";

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");

    private Resources() {}

    static StoredResource task(String account, String jobId, String id) {
        return resource(new ResourceKey(account, ResourceKind.TASK, jobId, id), "active");
    }

    static StoredResource resource(ResourceKey key, String state) {
        return new StoredResource(key, state, TASK_BODY.formatted(key.id(), key.id(), key.id()), 1, T0, T0, T0,
                null, null, null);
    }
}
