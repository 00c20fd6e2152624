package dev.rebatch.retry.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExceptionTableTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    static Stream<Arguments> exceptions() {
        return Stream.of(
                Arguments.of(new HttpConnectTimeoutException("connect timed out"), Category.NETWORK_NOT_SENT, true),
                Arguments.of(new ConnectException("Connection refused"), Category.NETWORK_NOT_SENT, false),
                Arguments.of(new UnknownHostException("nowhere.batch.example"), Category.NETWORK_NOT_SENT, false),
                Arguments.of(new UnresolvedAddressException(), Category.NETWORK_NOT_SENT, false),
                Arguments.of(new NoRouteToHostException("No route to host"), Category.NETWORK_NOT_SENT, false),
                Arguments.of(new PortUnreachableException("ICMP port unreachable"), Category.NETWORK_NOT_SENT, false),
                Arguments.of(new SSLHandshakeException("PKIX path building failed"), Category.NETWORK_NOT_SENT, false),
                Arguments.of(new HttpTimeoutException("request timed out"), Category.NETWORK_UNKNOWN, true),
                Arguments.of(new SocketTimeoutException("Read timed out"), Category.NETWORK_UNKNOWN, true),
                Arguments.of(new TimeoutException("attempt timeout"), Category.NETWORK_UNKNOWN, true),
                Arguments.of(new SocketException("Connection reset"), Category.NETWORK_UNKNOWN, false),
                Arguments.of(new EOFException("EOF reached while reading"), Category.NETWORK_UNKNOWN, false),
                Arguments.of(new SSLException("Tag mismatch"), Category.NETWORK_UNKNOWN, false),
                Arguments.of(new IOException("HTTP/1.1 header parser received no bytes"), Category.NETWORK_UNKNOWN,
                        false));
    }

    @ParameterizedTest(name = "{0} -> {1}, timedOut={2}")
    @MethodSource("exceptions")
    void eachExceptionMatchesItsRow(Throwable failure, Category category, boolean timedOut) {
        ExceptionTable.Row row = ExceptionTable.mostSpecificInChain(failure, 1);
        assertThat(row).as("row for %s", failure).isNotNull();
        assertThat(row.type()).as("the most specific row wins").isEqualTo(failure.getClass());
        assertThat(row.category()).isEqualTo(category);
        assertThat(row.timeout()).isEqualTo(timedOut);
    }

    @ParameterizedTest(name = "{0} -> {1}, timedOut={2}")
    @MethodSource("exceptions")
    void classifierUsesTheRow(Throwable failure, Category category, boolean timedOut) {
        Outcome outcome = new BatchOutcomeClassifier().classify(failure, NOW);
        assertThat(outcome.category()).isEqualTo(category);
        assertThat(outcome.timedOut()).isEqualTo(timedOut);
        assertThat(outcome.statusCode()).isZero();
        assertThat(outcome.errorCode()).isNull();
        assertThat(outcome.serverHint()).isNull();
        assertThat(outcome.failure()).isSameAs(failure);
    }

    @Test
    void everyRowIsCoveredByACase() {
        List<Class<?>> tested = exceptions().<Class<?>>map(args -> args.get()[0].getClass()).toList();
        List<Class<?>> rowTypes = ExceptionTable.rows().stream().<Class<?>>map(ExceptionTable.Row::type).toList();
        assertThat(rowTypes).containsExactlyInAnyOrderElementsOf(tested);
    }

    @Test
    void noRowIsShadowedByAnEarlierSupertype() {
        List<ExceptionTable.Row> rows = ExceptionTable.rows();
        for (int later = 0; later < rows.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                assertThat(rows.get(earlier).type().isAssignableFrom(rows.get(later).type()))
                        .as("%s (row %d) hides %s (row %d)", rows.get(earlier).type().getSimpleName(), earlier,
                                rows.get(later).type().getSimpleName(), later)
                        .isFalse();
            }
        }
    }

    @Test
    void everyRowExplainsItself() {
        assertThat(ExceptionTable.rows()).allSatisfy(row -> {
            assertThat(row.category()).isNotNull();
            assertThat(row.category().isTransient()).as("exception rows are all retryable: %s", row).isTrue();
            assertThat(row.why()).as("why of %s", row.type()).isNotBlank();
        });
    }

    @Test
    void subclassesOfATableTypeMatchTheirSupertypeRow() {
        class CustomIo extends IOException {
            private static final long serialVersionUID = 1L;
        }
        assertThat(ExceptionTable.mostSpecificInChain(new CustomIo(), 1).type()).isEqualTo(IOException.class);
    }

    @Test
    void unknownExceptionsMatchNoRow() {
        assertThat(ExceptionTable.mostSpecificInChain(new IllegalStateException("bug"), 16)).isNull();
        assertThat(ExceptionTable.mostSpecificInChain(new RuntimeException(new ConnectException("refused")), 1))
                .as("a depth of 1 looks at the exception itself, not its causes").isNull();
    }

    @Test
    void aGenericWrapperDoesNotHideAMoreTellingCause() {
        IOException wrapper = new IOException("send failed", new ConnectException("Connection refused"));
        assertThat(ExceptionTable.mostSpecificInChain(wrapper, 16).type()).isEqualTo(ConnectException.class);
    }

    @Test
    void theSearchStopsAtTheDepthLimit() {
        Throwable chain = new ConnectException("refused");
        for (int i = 0; i < 20; i++) {
            chain = new RuntimeException("layer " + i, chain);
        }
        assertThat(ExceptionTable.mostSpecificInChain(chain, 16)).isNull();
    }
}
