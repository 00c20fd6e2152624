package dev.rebatch.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebatch.server.http.Json;
import dev.rebatch.server.store.ResourceKey;
import dev.rebatch.server.store.ResourceKind;
import dev.rebatch.server.store.StoredResource;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StateTransitionsTest {

    private static final Instant ADDED = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:05Z");
    private static final StoredResource ACTIVE = new StoredResource(
            new ResourceKey("acct", ResourceKind.TASK, "job-1", "task-1"), "active",
            "{\"id\":\"task-1\",\"commandLine\":\"/bin/true\"}", 3, ADDED, ADDED, ADDED, null, null, null);

    @Test
    void theNewDocumentNamesThePreviousStateAndLeavesTheCallersDocumentAsItWas() {
        ObjectNode document = Json.readStored("{\"id\":\"task-1\",\"executionInfo\":{\"retryCount\":0}}");
        String before = Json.write(document);

        StoredResource running = StateTransitions.to(ACTIVE, "running", NOW, document, 0, "success");

        ObjectNode written = Json.readStored(running.body());
        assertThat(written.path("previousState").asText()).isEqualTo("active");
        assertThat(written.path("previousStateTransitionTime").asText()).isEqualTo(Timestamps.iso(ADDED));
        assertThat(written.path("executionInfo").path("retryCount").asInt(-1)).isZero();
        assertThat(running.state()).isEqualTo("running");
        assertThat(running.stateTransitionTime()).isEqualTo(NOW);
        assertThat(running.lastModified()).isEqualTo(NOW);
        assertThat(running.exitCode()).isZero();
        assertThat(running.executionResult()).isEqualTo("success");
        assertThat(running.version()).isEqualTo(ACTIVE.version());
        assertThat(Json.write(document)).isEqualTo(before);
    }

    @Test
    void aChangeAppliesToTheStoredDocument() {
        StoredResource completed = StateTransitions.to(ACTIVE, "completed", NOW,
                document -> document.put("commandLine", "/bin/false"));

        ObjectNode written = Json.readStored(completed.body());
        assertThat(written.path("commandLine").asText()).isEqualTo("/bin/false");
        assertThat(written.path("previousState").asText()).isEqualTo("active");
        assertThat(ACTIVE.body()).contains("/bin/true");
    }
}
