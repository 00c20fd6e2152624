package dev.rebatch.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.batch.BatchClient;
import com.microsoft.azure.batch.protocol.models.BatchErrorException;
import dev.rebatch.server.TestService;
import dev.rebatch.server.http.AccountThrottle;
import dev.rebatch.server.http.ServiceLimits;
import dev.rebatch.server.store.BatchStores;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An account over its rate limit gets 429 TooManyRequests with Retry-After, as the official SDK sees it. */
class ThrottlingTest {

    @TempDir
    Path dataDir;

    @Test
    void theThirdRequestOfABurstOfTwoIsThrottledWithRetryAfter() throws Exception {
        // One request every 100 s with a burst of two: the third call in a row cannot have a token.
        ServiceLimits tight = new ServiceLimits(new AccountThrottle.Rate(0.01, 2), AccountThrottle.DEFAULT_NODE_AGENT_RATE,
                100);
        try (TestService service = new TestService(BatchStores.open(null, dataDir), tight)) {
            BatchClient batch = service.officialClient();
            batch.jobOperations().listJobs();
            batch.jobOperations().listJobs();

            assertThatThrownBy(() -> batch.jobOperations().listJobs())
                    .isInstanceOfSatisfying(BatchErrorException.class, throttled -> {
                        assertThat(throttled.response().code()).isEqualTo(429);
                        assertThat(throttled.body().code()).isEqualTo("TooManyRequests");
                        String retryAfter = throttled.response().headers().get("Retry-After");
                        assertThat(retryAfter).as("whole seconds").matches("[0-9]+");
                        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 100);
                    });
            // Another account has its own allowance.
            service.officialClient(TestService.OTHER_ACCOUNT, TestService.OTHER_KEY).jobOperations().listJobs();
        }
    }
}
