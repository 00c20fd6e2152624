package dev.rebatch.server.auth;

import dev.rebatch.server.auth.AuthenticationFailure.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the {@code Authorization: SharedKey account:signature} header of a request against the account's key.
 * Stateless and thread-safe. It logs nothing: the HTTP layer decides what to log, and nothing it is given here
 * (the failure detail) holds a key or a signature the server computed.
 */
public final class SharedKeyAuthenticator {

    /** How far ocp-date (or Date) may be from the server's clock, either way, as in Azure. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private static final Duration MIN_CLOCK_SKEW = MAX_CLOCK_SKEW.negated();

    private static final String SCHEME = "SharedKey ";

    private final AccountRegistry accounts;
    /**
     * The date text parsed last and its instant. Clients send the current second, so concurrent requests mostly
     * carry the same text, and RFC 1123 parsing is most of the cost of a signature check (see docs/benchmarks.md).
     * Only successfully parsed dates are kept; the record is immutable, so a racing reader sees a whole pair.
     */
    private volatile ParsedDate lastDate = new ParsedDate("", Instant.EPOCH);

    private record ParsedDate(String text, Instant instant) {}

    public SharedKeyAuthenticator(AccountRegistry accounts) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
    }

    /** The account that signed the request, or why the request is not authentic. */
    public AuthenticationResult authenticate(SignedRequest request, Instant now) {
        String authorization = request.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            return fail(Reason.MISSING_AUTHORIZATION, "The Authorization header is missing.");
        }
        String credentials = authorization.strip();
        // The scheme is case-insensitive (RFC 9110 11.1); the name cannot hold ':' and Base64 never does.
        int colon = credentials.lastIndexOf(':');
        if (!credentials.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || colon <= SCHEME.length() || colon == credentials.length() - 1) {
            return fail(Reason.MALFORMED_AUTHORIZATION,
                    "The Authorization header is not of the form 'SharedKey accountName:signature'.");
        }
        String accountName = credentials.substring(SCHEME.length(), colon).strip();
        String signature = credentials.substring(colon + 1).strip();

        Optional<Account> account = accounts.find(accountName);
        if (account.isEmpty()) {
            return fail(Reason.UNKNOWN_ACCOUNT, "The account '" + accountName + "' does not exist.");
        }
        AuthenticationFailure dateFailure = checkDate(request, now);
        if (dateFailure != null) {
            return dateFailure;
        }

        List<String> candidates;
        try {
            candidates = StringToSign.candidates(request, accountName);
        } catch (IllegalArgumentException e) {
            return fail(Reason.MALFORMED_QUERY, "The request URI query could not be decoded: " + e.getMessage());
        }
        byte[] presented = signature.getBytes(StandardCharsets.US_ASCII);
        for (String candidate : candidates) {
            // Compare the Base64 texts, not decoded bytes: a decoder may ignore the unused low bits of the last
            // character, and then a changed signature would still pass. isEqual takes the same time wherever the
            // first difference is, so response times do not reveal how much of a forged signature is right.
            byte[] expected = SharedKeySignature.compute(account.get(), candidate).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, presented)) {
                return new AuthenticationResult.Authenticated(account.get());
            }
        }
        return fail(Reason.SIGNATURE_MISMATCH, "The MAC signature found in the HTTP request '" + signature
                + "' is not the same as any computed signature. Server used following string to sign: '"
                + candidates.getFirst() + "'.");
    }

    /** ocp-date wins over Date (the clients always set ocp-date); null when the date is acceptable. */
    private AuthenticationFailure checkDate(SignedRequest request, Instant now) {
        String ocpDate = request.header("ocp-date");
        String header = ocpDate != null && !ocpDate.isBlank() ? "ocp-date" : "Date";
        String value = request.header(header);
        if (value == null || value.isBlank()) {
            return fail(Reason.MISSING_DATE, "Request date header not specified: send ocp-date or Date.");
        }
        String text = value.strip();
        ParsedDate last = lastDate;
        Instant date;
        if (last.text().equals(text)) {
            date = last.instant();
        } else {
            try {
                date = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return fail(Reason.INVALID_DATE, "The " + header + " header '" + value + "' is not an RFC 1123 date.");
            }
            lastDate = new ParsedDate(text, date);
        }
        Duration skew = Duration.between(now, date);
        // Not skew.abs(): negating a Duration goes through BigDecimal, which showed in profiles.
        if (skew.compareTo(MAX_CLOCK_SKEW) > 0 || skew.compareTo(MIN_CLOCK_SKEW) < 0) {
            String serverTime = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atZone(ZoneOffset.UTC));
            return fail(Reason.DATE_OUT_OF_RANGE, "Request date header too "
                    + (skew.isNegative() ? "old" : "far in the future") + ": '" + value + "'. It must be within "
                    + MAX_CLOCK_SKEW.toMinutes() + " minutes of the server's time, " + serverTime + ".");
        }
        return null;
    }

    private static AuthenticationFailure fail(Reason reason, String detail) {
        return new AuthenticationFailure(reason, detail);
    }
}
