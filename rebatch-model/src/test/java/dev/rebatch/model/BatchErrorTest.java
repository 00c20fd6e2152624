package dev.rebatch.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchErrorTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void serializesWithTheWireNamesOfARealBatchError() throws Exception {
        BatchError error = new BatchError("https://acct.local/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element",
                "JobExists", new BatchError.ErrorMessage("en-US", "The specified job already exists.\nRequestId:r\nTime:t"),
                List.of(new BatchError.Detail("JobId", "job-1")));

        JsonNode tree = json.readTree(json.writeValueAsString(error));

        assertThat(tree.fieldNames()).toIterable().containsExactly("odata.metadata", "code", "message", "values");
        assertThat(tree.path("message").path("lang").asText()).isEqualTo("en-US");
        assertThat(tree.path("values").get(0).path("key").asText()).isEqualTo("JobId");
        assertThat(json.readValue(json.writeValueAsString(error), BatchError.class)).isEqualTo(error);
    }

    @Test
    void omitsValuesWhenThereAreNone() throws Exception {
        BatchError error = new BatchError("m", "InternalError", new BatchError.ErrorMessage("en-US", "x"), List.of());

        assertThat(json.readTree(json.writeValueAsString(error)).has("values")).isFalse();
    }

    @Test
    void statusCodesFollowTheBatchDocumentation() {
        assertThat(BatchErrorCode.JobExists.httpStatus()).isEqualTo(409);
        assertThat(BatchErrorCode.RequestBodyTooLarge.httpStatus()).isEqualTo(413);
        assertThat(BatchErrorCode.ServerBusy.httpStatus()).isEqualTo(503);
        assertThat(BatchErrorCode.TooManyRequests.httpStatus()).isEqualTo(429);
        assertThat(BatchErrorCode.AuthenticationFailed.httpStatus()).isEqualTo(403);
    }
}
