package dev.rebatch.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rebatch.server.auth.AuthenticationResult.Authenticated;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SharedKeyProperties {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Account ACCOUNT = Account.fromBase64("propaccount",
            "dGhlIGtleSBvZiB0aGUgcHJvcGVydHkgdGVzdHMsIDY0IGJ5dGVzIGxvbmcgb3Igc28gaXQgc2VlbXM=");
    private static final SharedKeyAuthenticator AUTHENTICATOR =
            new SharedKeyAuthenticator(AccountRegistry.of(List.of(ACCOUNT)));

    @Property
    void aRequestSignedInAnyAcceptedFormAuthenticates(@ForAll("requests") SignedRequest request,
                                                      @ForAll @IntRange(max = 31) int form) {
        List<String> forms = StringToSign.candidates(request, ACCOUNT.name());
        String stringToSign = forms.get(form % forms.size());

        SignedRequest signed =
                request.withHeader("Authorization", SharedKeySignature.authorizationHeader(ACCOUNT, stringToSign));

        assertThat(AUTHENTICATOR.authenticate(signed, NOW)).isEqualTo(new Authenticated(ACCOUNT));
    }

    @Property
    void changingOneCharacterOfTheSignatureFails(@ForAll("requests") SignedRequest request,
                                                 @ForAll @IntRange(max = 43) int position,
                                                 @ForAll("signatureCharacters") char replacement) {
        String signature = SharedKeySignature.compute(ACCOUNT, StringToSign.of(request, ACCOUNT.name()));
        Assume.that(signature.charAt(position) != replacement);
        String changed = signature.substring(0, position) + replacement + signature.substring(position + 1);

        SignedRequest signed = request.withHeader("Authorization", "SharedKey " + ACCOUNT.name() + ":" + changed);

        assertThat(AUTHENTICATOR.authenticate(signed, NOW)).isInstanceOfSatisfying(AuthenticationFailure.class,
                failure -> assertThat(failure.reason()).isEqualTo(AuthenticationFailure.Reason.SIGNATURE_MISMATCH));
    }

    @Provide
    Arbitrary<Character> signatureCharacters() {
        return Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .");
    }

    @Provide
    Arbitrary<SignedRequest> requests() {
        Arbitrary<String> method = Arbitraries.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
        Arbitrary<String> path = text(1, 12).list().ofMinSize(1).ofMaxSize(5)
                .map(segments -> segments.stream().map(SharedKeyProperties::encode)
                        .collect(Collectors.joining("/", "/", "")));
        Arbitrary<String> query = Combinators.combine(
                        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz$-").ofMinLength(1).ofMaxLength(12),
                        text(0, 20))
                .as((name, value) -> encode(name) + "=" + encode(value))
                .list().ofMaxSize(5).map(pairs -> String.join("&", pairs));
        Arbitrary<Map<String, String>> ocpHeaders = Arbitraries.maps(
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz-").ofMinLength(1).ofMaxLength(10)
                        .map(name -> "ocp-x" + name),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(20)).ofMaxSize(4);
        Arbitrary<Long> bodyLength = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, 1 << 20));
        return Combinators.combine(method, path, query, ocpHeaders, bodyLength).as((m, p, q, ocp, length) -> {
            Map<String, String> headers = new HashMap<>(ocp);
            headers.put("ocp-date", DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.atZone(ZoneOffset.UTC)));
            return new SignedRequest(m, p, q, headers, length);
        });
    }

    /** Any text, including what must be percent-encoded: spaces, reserved characters, non-ASCII. */
    private static Arbitrary<String> text(int minLength, int maxLength) {
        // Surrogates left out: a lone one has no UTF-8 form, so no client could send it.
        return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFD')
                .ofMinLength(minLength).ofMaxLength(maxLength);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
