package dev.rebatch.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.auth.AuthenticationFailure.Reason;
import dev.rebatch.server.auth.AuthenticationResult.Authenticated;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SharedKeyAuthenticatorTest {

    private static final String KEY = "R2M0a0U3ZFdsUjBNZ3h0c3VQaTV1RnNzUk1kUEpZa1dLcVR1OXhQbHhjQkFHVkx0Z2c9PQ==";
    private static final String OTHER_KEY = "b3RoZXIga2V5IG9mIHRoZSBzYW1lIGFjY291bnQ=";
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final String NOW_RFC1123 = rfc1123(NOW);

    private static final Account MY_ACCOUNT = Account.fromBase64("MyAccount", KEY);
    private final SharedKeyAuthenticator authenticator =
            new SharedKeyAuthenticator(AccountRegistry.of(List.of(MY_ACCOUNT)));

    // --- requests signed by the clients --------------------------------------------------------------------

    @Test
    void acceptsAListSignedByTheJavaSdk() {
        ClientRequest list = request("GET", "/jobs", Map.of(), null, Map.of("api-version", "2024-07-01.20.0",
                "$filter", "state eq 'active' and startswith(id,'nightly-')", "maxresults", "10"));

        assertAuthenticated(JavaSdkSigner.sign(list, "MyAccount", KEY), Instant.now());
    }

    @Test
    void acceptsABodySignedByTheJavaSdk() {
        ClientRequest addJob = request("POST", "/jobs", Map.of("ocp-date", NOW_RFC1123),
                "{\"id\":\"job-1\",\"poolInfo\":{\"poolId\":\"pool-1\"}}", Map.of("api-version", "2024-07-01.20.0"));

        assertAuthenticated(JavaSdkSigner.sign(addJob, "MyAccount", KEY), NOW);
    }

    @Test
    void acceptsABodilessPostAndDeleteSignedByTheJavaSdk() {
        ClientRequest terminate = request("POST", "/jobs/job-1/terminate", Map.of(), null,
                Map.of("api-version", "2024-07-01.20.0"));
        ClientRequest delete = request("DELETE", "/jobs/job-1", Map.of("If-Match", "0x8D4100FC49F0278"), null,
                Map.of("api-version", "2024-07-01.20.0", "timeout", "30"));

        assertAuthenticated(JavaSdkSigner.sign(terminate, "MyAccount", KEY), Instant.now());
        assertAuthenticated(JavaSdkSigner.sign(delete, "MyAccount", KEY), Instant.now());
    }

    @Test
    void acceptsAnEncodedPathSignedByTheJavaSdk() {
        ClientRequest file = request("GET", "/jobs/job-1/tasks/task-1/files/wd%2Fresult%20file.txt",
                Map.of("ocp-range", "bytes=0-99"), null, Map.of("api-version", "2024-07-01.20.0"));

        assertAuthenticated(JavaSdkSigner.sign(file, "MyAccount", KEY), Instant.now());
    }

    @Test
    void acceptsTheJavaSdksDoublyDecodedQuery() {
        // java11.2 URL-decodes okhttp's already decoded query, so it signs "a+b" as "a b".
        ClientRequest list = request("GET", "/jobs", Map.of(), null,
                Map.of("api-version", "2024-07-01.20.0", "$filter", "startswith(id,'a+b')"));

        SignedRequest received = JavaSdkSigner.sign(list, "MyAccount", KEY);

        assertThat(received.rawQuery()).contains("a%2Bb");
        assertAuthenticated(received, Instant.now());
    }

    @Test
    void acceptsABodilessDeleteSignedTheJavaScriptWay() {
        // js10.2 signs Content-Length "" here, and the account name as given, not lowercased.
        ClientRequest delete = request("DELETE", "/jobs/job-1",
                Map.of("ocp-date", NOW_RFC1123, "ocp-empty", ""), null, Map.of("api-version", "2022-10-01.16.0"));

        assertAuthenticated(delete.received(ClientSigners.javaScript(delete, "MyAccount", KEY)), NOW);
    }

    @Test
    void acceptsBodilessPostAndBodySignedTheJavaScriptWay() {
        ClientRequest enable = request("POST", "/jobs/job-1/enable", Map.of("ocp-date", NOW_RFC1123), null,
                Map.of("api-version", "2022-10-01.16.0"));
        ClientRequest patch = request("PATCH", "/jobs/job-1",
                Map.of("ocp-date", NOW_RFC1123, "Content-Type", "application/json; odata=minimalmetadata; charset=utf-8"),
                "{\"priority\":100}", Map.of("api-version", "2022-10-01.16.0", "timeout", "20"));

        assertAuthenticated(enable.received(ClientSigners.javaScript(enable, "MyAccount", KEY)), NOW);
        assertAuthenticated(patch.received(ClientSigners.javaScript(patch, "MyAccount", KEY)), NOW);
    }

    @Test
    void acceptsABodilessPostSignedTheDotNetWay() {
        // .NET forces an empty body on a POST and signs Content-Length "0".
        ClientRequest reboot = request("POST", "/pools/pool-1/nodes/node-1/reboot",
                Map.of("ocp-date", NOW_RFC1123, "ocp-empty", ""), null, Map.of("api-version", "2024-07-01.20.0"));

        assertAuthenticated(reboot.received(ClientSigners.dotNet(reboot, "MyAccount", KEY)), NOW);
    }

    @Test
    void acceptsAGetSignedTheDotNetWay() {
        ClientRequest get = request("GET", "/pools/pool-1", Map.of("ocp-date", NOW_RFC1123,
                "If-None-Match", "0x8D4100FC49F0278"), null, Map.of("api-version", "2024-07-01.20.0",
                "$select", "id,state"));

        assertAuthenticated(get.received(ClientSigners.dotNet(get, "MyAccount", KEY)), NOW);
    }

    @Test
    void acceptsBothContentLengthsOfAnEmptyBodyButOnlyTheRealOneOfABody() {
        SignedRequest empty = new SignedRequest("DELETE", "/jobs/j", "api-version=1", Map.of("ocp-date", NOW_RFC1123), 0);
        String signedEmpty = "DELETE\n\n\n%s\n\n\n\n\n\n\n\n\nocp-date:" + NOW_RFC1123 + "\n/MyAccount/jobs/j\napi-version:1";

        assertAuthenticated(withSignature(empty, signedEmpty.formatted("")), NOW);
        assertAuthenticated(withSignature(empty, signedEmpty.formatted("0")), NOW);
        SignedRequest fiveBytes = new SignedRequest("DELETE", "/jobs/j", "api-version=1",
                Map.of("ocp-date", NOW_RFC1123), 5);
        assertFailure(withSignature(fiveBytes, signedEmpty.formatted("0")), NOW, Reason.SIGNATURE_MISMATCH);
        assertAuthenticated(withSignature(fiveBytes, signedEmpty.formatted("5")), NOW);
    }

    @Test
    void acceptsTheAccountNameInAnyCaseAndUsesTheRegisteredAccount() {
        ClientRequest get = request("GET", "/jobs", Map.of("ocp-date", NOW_RFC1123), null, Map.of("api-version", "1"));

        AuthenticationResult result =
                authenticator.authenticate(get.received(ClientSigners.dotNet(get, "MYACCOUNT", KEY)), NOW);

        assertThat(result).isEqualTo(new Authenticated(MY_ACCOUNT));
    }

    @Test
    void acceptsDateWhenThereIsNoOcpDate() {
        ClientRequest get = request("GET", "/jobs", Map.of("Date", NOW_RFC1123), null, Map.of("api-version", "1"));

        assertAuthenticated(get.received(ClientSigners.dotNet(get, "MyAccount", KEY)), NOW);
    }

    // --- tampering --------------------------------------------------------------------------------------------

    @Test
    void rejectsTamperedRequests() {
        ClientRequest update = request("PUT", "/jobs/job-1", Map.of("ocp-date", NOW_RFC1123, "If-Match", "0x1"),
                "{\"priority\":1}", Map.of("api-version", "2024-07-01.20.0", "timeout", "30"));
        SignedRequest genuine = update.received(ClientSigners.dotNet(update, "MyAccount", KEY));
        assertAuthenticated(genuine, NOW);

        List<SignedRequest> tampered = List.of(
                new SignedRequest("PUT", "/jobs/job-2", genuine.rawQuery(), genuine.headers(), genuine.bodyLength()),
                new SignedRequest("PUT", genuine.rawPath(), "api-version=2024-07-01.20.0&timeout=31",
                        genuine.headers(), genuine.bodyLength()),
                new SignedRequest("PUT", genuine.rawPath(), genuine.rawQuery(), genuine.headers(),
                        genuine.bodyLength() + 1),
                new SignedRequest("PATCH", genuine.rawPath(), genuine.rawQuery(), genuine.headers(),
                        genuine.bodyLength()),
                genuine.withHeader("If-Match", "0x2"),
                genuine.withHeader("If-Match", null),
                genuine.withHeader("ocp-date", rfc1123(NOW.plusSeconds(1))),
                genuine.withHeader("ocp-range", "bytes=0-1"));
        for (SignedRequest request : tampered) {
            assertFailure(request, NOW, Reason.SIGNATURE_MISMATCH);
        }
    }

    @Test
    void rejectsASignatureMadeWithAnotherKeyWithoutRevealingTheExpectedOne() {
        ClientRequest get = request("GET", "/jobs", Map.of("ocp-date", NOW_RFC1123), null, Map.of("api-version", "1"));
        String forged = ClientSigners.dotNet(get, "MyAccount", OTHER_KEY);

        AuthenticationFailure failure = assertFailure(get.received(forged), NOW, Reason.SIGNATURE_MISMATCH);

        String stringToSign = StringToSign.of(get.received(forged), "MyAccount");
        assertThat(failure.detail())
                .contains(forged.substring(forged.indexOf(':') + 1))
                .contains("Server used following string to sign: '" + stringToSign + "'");
        for (String candidate : StringToSign.candidates(get.received(forged), "MyAccount")) {
            assertThat(failure.detail()).doesNotContain(SharedKeySignature.compute(MY_ACCOUNT, candidate));
        }
    }

    // --- dates ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(longs = {-(14 * 60 + 59), 14 * 60 + 59, -15 * 60, 15 * 60, 0})
    void acceptsADateWithinFifteenMinutes(long secondsFromNow) {
        assertAuthenticated(signedAt(NOW.plusSeconds(secondsFromNow)), NOW);
    }

    @ParameterizedTest
    @ValueSource(longs = {-(15 * 60 + 1), 15 * 60 + 1, -86_400})
    void rejectsADateMoreThanFifteenMinutesAway(long secondsFromNow) {
        AuthenticationFailure failure =
                assertFailure(signedAt(NOW.plusSeconds(secondsFromNow)), NOW, Reason.DATE_OUT_OF_RANGE);

        assertThat(failure.detail()).contains(secondsFromNow < 0 ? "too old" : "too far in the future")
                .contains(rfc1123(NOW.plusSeconds(secondsFromNow)));
    }

    @Test
    void ocpDateWinsOverDateWhetherDateIsSignedEmptyOrAsSent() {
        String yesterday = rfc1123(NOW.minus(Duration.ofDays(1)));
        // The documented form signs Date as empty when ocp-date is present ...
        assertAuthenticated(signedAt(NOW).withHeader("Date", yesterday), NOW);
        // ... while all three clients sign whatever Date header they send.
        ClientRequest get = request("GET", "/jobs", Map.of("ocp-date", NOW_RFC1123, "Date", yesterday), null,
                Map.of("api-version", "1"));
        assertAuthenticated(get.received(ClientSigners.javaScript(get, "MyAccount", KEY)), NOW);
    }

    @Test
    void rejectsAMissingOrUnparseableDate() {
        ClientRequest undated = request("GET", "/jobs", Map.of(), null, Map.of("api-version", "1"));
        ClientRequest misdated = request("GET", "/jobs", Map.of("ocp-date", "2026-03-10T12:00:00Z"), null,
                Map.of("api-version", "1"));

        assertFailure(undated.received(ClientSigners.dotNet(undated, "MyAccount", KEY)), NOW, Reason.MISSING_DATE);
        assertThat(assertFailure(misdated.received(ClientSigners.dotNet(misdated, "MyAccount", KEY)), NOW,
                Reason.INVALID_DATE).detail()).contains("ocp-date").contains("2026-03-10T12:00:00Z");
    }

    // --- the Authorization header -------------------------------------------------------------------------------

    @Test
    void rejectsAMissingAuthorizationHeader() {
        SignedRequest request = new SignedRequest("GET", "/jobs", "", Map.of("ocp-date", NOW_RFC1123), 0);

        assertFailure(request, NOW, Reason.MISSING_AUTHORIZATION);
        assertFailure(request.withHeader("Authorization", "  "), NOW, Reason.MISSING_AUTHORIZATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer eyJ0eXAiOiJKV1Qi", "SharedKey MyAccount", "SharedKey :c2ln", "SharedKey MyAccount:",
            "SharedKeyMyAccount:c2ln", "Basic TXlBY2NvdW50OmM="})
    void rejectsAnAuthorizationHeaderThatIsNotSharedKey(String authorization) {
        SignedRequest request = new SignedRequest("GET", "/jobs", "", Map.of("ocp-date", NOW_RFC1123), 0);

        assertFailure(request.withHeader("Authorization", authorization), NOW, Reason.MALFORMED_AUTHORIZATION);
    }

    @Test
    void rejectsAnUnknownAccount() {
        ClientRequest get = request("GET", "/jobs", Map.of("ocp-date", NOW_RFC1123), null, Map.of("api-version", "1"));

        AuthenticationFailure failure =
                assertFailure(get.received(ClientSigners.dotNet(get, "stranger", KEY)), NOW, Reason.UNKNOWN_ACCOUNT);

        assertThat(failure.detail()).contains("'stranger'");
    }

    @Test
    void rejectsAQueryWithABrokenEscape() {
        SignedRequest request = new SignedRequest("GET", "/jobs", "$filter=100%", Map.of("ocp-date", NOW_RFC1123,
                "Authorization", "SharedKey MyAccount:c2ln"), 0);

        assertFailure(request, NOW, Reason.MALFORMED_QUERY);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static ClientRequest request(String method, String path, Map<String, String> headers, String body,
                                         Map<String, String> query) {
        return new ClientRequest(method, path, new LinkedHashMap<>(query), headers, body);
    }

    private static SignedRequest signedAt(Instant date) {
        ClientRequest get = request("GET", "/jobs", Map.of("ocp-date", rfc1123(date)), null, Map.of("api-version", "1"));
        return get.received(ClientSigners.javaScript(get, "MyAccount", KEY));
    }

    private static SignedRequest withSignature(SignedRequest request, String stringToSign) {
        return request.withHeader("Authorization", SharedKeySignature.authorizationHeader(MY_ACCOUNT, stringToSign));
    }

    private void assertAuthenticated(SignedRequest request, Instant now) {
        assertThat(authenticator.authenticate(request, now)).isEqualTo(new Authenticated(MY_ACCOUNT));
    }

    private AuthenticationFailure assertFailure(SignedRequest request, Instant now, Reason reason) {
        AuthenticationResult result = authenticator.authenticate(request, now);
        assertThat(result).isInstanceOfSatisfying(AuthenticationFailure.class,
                failure -> assertThat(failure.reason()).isEqualTo(reason));
        return (AuthenticationFailure) result;
    }

    private static String rfc1123(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
    }
}
