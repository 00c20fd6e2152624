package dev.rebatch.retry.classify;

import dev.rebatch.retry.FakeResponse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class BatchOutcomeClassifierTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private final BatchOutcomeClassifier classifier = new BatchOutcomeClassifier();

    // ---------------------------------------------------------------- wrapped exceptions

    @Test
    void completionExceptionIsClassifiedByItsCause() {
        CompletionException failure = new CompletionException(new ConnectException("Connection refused"));
        Outcome outcome = classifier.classify(failure, NOW);
        assertThat(outcome.category()).isEqualTo(Category.NETWORK_NOT_SENT);
        assertThat(outcome.timedOut()).isFalse();
        assertThat(outcome.failure()).isSameAs(failure);
    }

    @Test
    void uncheckedIoExceptionIsClassifiedByItsCause() {
        UncheckedIOException failure = new UncheckedIOException(new SocketTimeoutException("Read timed out"));
        Outcome outcome = classifier.classify(failure, NOW);
        assertThat(outcome.category()).isEqualTo(Category.NETWORK_UNKNOWN);
        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.failure()).isSameAs(failure);
    }

    @Test
    void executionExceptionNestingIsUnwrapped() {
        ExecutionException failure = new ExecutionException(
                new CompletionException(new HttpConnectTimeoutException("connect timed out")));
        Outcome outcome = classifier.classify(failure, NOW);
        assertThat(outcome.category()).isEqualTo(Category.NETWORK_NOT_SENT);
        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.failure()).isSameAs(failure);
    }

    @Test
    void deepNestingIsUnwrapped() {
        CompletionException failure = new CompletionException(new ExecutionException(
                new UncheckedIOException(new IOException("no response bytes"))));
        Outcome outcome = classifier.classify(failure, NOW);
        assertThat(outcome.category()).isEqualTo(Category.NETWORK_UNKNOWN);
        assertThat(outcome.timedOut()).isFalse();
        assertThat(outcome.failure()).isSameAs(failure);
    }

    @Test
    void theOutermostKnownExceptionDecides() {
        // A connect timeout wrapping a socket timeout: the connect timeout (outer) is the one that counts.
        HttpConnectTimeoutException outer = new HttpConnectTimeoutException("connect timed out");
        outer.initCause(new SocketTimeoutException("inner"));
        assertThat(classifier.classify(new CompletionException(outer), NOW).category())
                .isEqualTo(Category.NETWORK_NOT_SENT);
    }

    // ---------------------------------------------------------------- unknown exceptions

    @Test
    void unknownRuntimeExceptionIsClient() {
        IllegalStateException failure = new IllegalStateException("a bug in the caller");
        Outcome outcome = classifier.classify(failure, NOW);
        assertThat(outcome).isEqualTo(new Outcome(Category.CLIENT, 0, null, null, false, failure));
    }

    @Test
    void unknownExceptionWrappingUnknownExceptionIsClient() {
        CompletionException failure = new CompletionException(new IllegalArgumentException("bad input"));
        assertThat(classifier.classify(failure, NOW).category()).isEqualTo(Category.CLIENT);
    }

    @Test
    void cyclicCauseChainTerminates() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        Outcome outcome = classifier.classify(a, NOW);
        assertThat(outcome.category()).isEqualTo(Category.CLIENT);
        assertThat(outcome.failure()).isSameAs(a);
    }

    // ---------------------------------------------------------------- HTTP failures

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvFileSource(resources = StatusCodeTableTest.CSV_RESOURCE, numLinesToSkip = 1)
    void everyDocumentedResponseIsClassified(int status, String code, Category expected) {
        FakeResponse failure = new FakeResponse(status, code);
        Outcome outcome = classifier.classify(failure, NOW);
        assertThat(outcome.category()).isEqualTo(expected);
        assertThat(outcome.statusCode()).isEqualTo(status);
        assertThat(outcome.errorCode()).isEqualTo(code);
        assertThat(outcome.serverHint()).isNull();
        assertThat(outcome.timedOut()).isFalse();
        assertThat(outcome.failure()).isSameAs(failure);
    }

    @Test
    void outcomeCarriesStatusCodeAndServerHint() {
        FakeResponse failure = new FakeResponse(503, "ServerBusy", Map.of("Retry-After", "7"));
        Outcome outcome = classifier.classify(failure, NOW);
        assertThat(outcome).isEqualTo(
                new Outcome(Category.THROTTLED, 503, "ServerBusy", Duration.ofSeconds(7), false, failure));
    }

    @Test
    void headerNamesAreMatchedCaseInsensitively() {
        FakeResponse failure = new FakeResponse(429, "TooManyRequests",
                Map.of("retry-after", "3", "X-MS-Retry-After-MS", "1500"));
        Outcome outcome = classifier.classify(failure, NOW);
        assertThat(outcome.category()).isEqualTo(Category.THROTTLED);
        assertThat(outcome.serverHint()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void httpDateHintIsMeasuredFromTheGivenNow() {
        FakeResponse failure = new FakeResponse(429, "TooManyRequests",
                Map.of("Retry-After", "Sat, 01 Mar 2025 12:00:30 GMT"));
        assertThat(classifier.classify(failure, NOW).serverHint()).isEqualTo(Duration.ofSeconds(30));
        assertThat(classifier.classify(failure, NOW.plusSeconds(10)).serverHint()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void httpFailureAnywhereInTheChainWins() {
        FakeResponse response = new FakeResponse(409, "TaskExists");
        // The outer IOException alone would be NETWORK_UNKNOWN: the response must win over it.
        IOException failure = new IOException("wrapped", new CompletionException(response));
        Outcome outcome = classifier.classify(new ExecutionException(failure), NOW);
        assertThat(outcome.category()).isEqualTo(Category.CONFLICT);
        assertThat(outcome.statusCode()).isEqualTo(409);
        assertThat(outcome.errorCode()).isEqualTo("TaskExists");
        assertThat(outcome.failure()).isInstanceOf(ExecutionException.class).hasCause(failure);
    }

    @Test
    void httpFailureWinsOverItsOwnNetworkCause() {
        FakeResponse response = new FakeResponse(500, "OperationTimedOut");
        response.initCause(new SocketTimeoutException("Read timed out"));
        Outcome outcome = classifier.classify(response, NOW);
        assertThat(outcome.category()).isEqualTo(Category.SERVER);
        assertThat(outcome.statusCode()).isEqualTo(500);
        assertThat(outcome.timedOut()).as("a response arrived: not a timeout").isFalse();
    }

    @Test
    void httpFailureWithoutCodeOrHint() {
        FakeResponse failure = new FakeResponse(502, null);
        Outcome outcome = classifier.classify(new CompletionException(failure), NOW);
        assertThat(outcome.category()).isEqualTo(Category.SERVER);
        assertThat(outcome.statusCode()).isEqualTo(502);
        assertThat(outcome.errorCode()).isNull();
        assertThat(outcome.serverHint()).isNull();
    }

    @Test
    void aCustomTableIsUsed() {
        StatusCodeTable custom = StatusCodeTable.parse(new ByteArrayInputStream(
                "status\tcode\tcategory\twhy\n404\t*\tSERVER\teventually consistent\n"
                        .getBytes(StandardCharsets.UTF_8)));
        Outcome outcome = new BatchOutcomeClassifier(custom).classify(new FakeResponse(404, "JobNotFound"), NOW);
        assertThat(outcome.category()).isEqualTo(Category.SERVER);
    }

    // ---------------------------------------------------------------- Outcome

    @Test
    void describeNamesCategoryStatusCodeAndHint() {
        Outcome outcome = classifier.classify(
                new FakeResponse(503, "ServerBusy", Map.of("retry-after-ms", "250")), NOW);
        assertThat(outcome.describe()).isEqualTo("THROTTLED 503 ServerBusy, server asked to wait 250 ms");
    }

    @Test
    void describeNamesTheExceptionWhenNoResponseArrived() {
        Outcome outcome = classifier.classify(new SocketTimeoutException("Read timed out"), NOW);
        assertThat(outcome.describe()).isEqualTo("NETWORK_UNKNOWN (SocketTimeoutException: Read timed out)");
    }
}
