package dev.rebatch.server.http;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.store.StoredResource;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The conditional headers of one request (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since) and the
 * Batch rules for them (wire-notes 1.4, "Conditional-header semantics"):
 * <ul>
 * <li>only If-None-Match + If-Modified-Since (If-None-Match wins) and If-Match + If-Unmodified-Since (If-Match wins)
 * may be combined; any other combination is 400 MultipleConditionHeadersNotSupported;</li>
 * <li>reads (GET, HEAD): a matching If-None-Match or an unmodified If-Modified-Since is 304, a failed If-Match or
 * If-Unmodified-Since is 412 ConditionNotMet;</li>
 * <li>writes: every unmet condition is 412 ConditionNotMet.</li>
 * </ul>
 * Parsed once per request, before the resource is read (so a malformed header is 400 whatever the resource), then
 * evaluated against each version the operation reads. The logic takes plain values; {@link #of(Context)} is the
 * adapter.
 */
public final class Preconditions {

    /** Whether a request only reads the resource: decides between 304 and 412 for some unmet conditions. */
    public enum Access {
        READ, WRITE;

        public static Access of(String method) {
            return switch (method.toUpperCase(Locale.ROOT)) {
                case "GET", "HEAD" -> READ;
                default -> WRITE;
            };
        }
    }

    /** What a request's conditions say about the resource as it is now. */
    public enum Outcome { PROCEED, NOT_MODIFIED, CONDITION_NOT_MET }

    public static final String IF_MATCH = "If-Match";
    public static final String IF_NONE_MATCH = "If-None-Match";
    public static final String IF_MODIFIED_SINCE = "If-Modified-Since";
    public static final String IF_UNMODIFIED_SINCE = "If-Unmodified-Since";

    private static final Preconditions NONE_READ = new Preconditions(Access.READ, null, null, null, null);
    private static final Preconditions NONE_WRITE = new Preconditions(Access.WRITE, null, null, null, null);

    private final Access access;
    private final TagCondition ifMatch;
    private final TagCondition ifNoneMatch;
    private final Instant ifModifiedSince;
    private final Instant ifUnmodifiedSince;

    private Preconditions(Access access, TagCondition ifMatch, TagCondition ifNoneMatch, Instant ifModifiedSince,
            Instant ifUnmodifiedSince) {
        this.access = access;
        this.ifMatch = ifMatch;
        this.ifNoneMatch = ifNoneMatch;
        this.ifModifiedSince = ifModifiedSince;
        this.ifUnmodifiedSince = ifUnmodifiedSince;
    }

    /** No conditions, for the writes the spec gives no conditional headers (such as Pool_UpdateProperties). */
    public static Preconditions none() {
        return NONE_WRITE;
    }

    /** Reads the four headers and the method of a request. */
    public static Preconditions of(Context ctx) {
        return parse(Access.of(ctx.method().name()), ctx.header(IF_MATCH), ctx.header(IF_NONE_MATCH),
                ctx.header(IF_MODIFIED_SINCE), ctx.header(IF_UNMODIFIED_SINCE));
    }

    /**
     * @param ifMatch the header's value, or {@code null} when absent (likewise the others)
     * @throws BatchException 400 MultipleConditionHeadersNotSupported for a forbidden combination, 400
     *                        InvalidHeaderValue for a value that is not an ETag list, {@code *} or an RFC 1123 date
     */
    public static Preconditions parse(Access access, String ifMatch, String ifNoneMatch, String ifModifiedSince,
            String ifUnmodifiedSince) {
        boolean matchGroup = ifMatch != null || ifUnmodifiedSince != null;
        boolean noneMatchGroup = ifNoneMatch != null || ifModifiedSince != null;
        if (matchGroup && noneMatchGroup) {
            List<String> present = new ArrayList<>();
            addIfPresent(present, IF_MATCH, ifMatch);
            addIfPresent(present, IF_NONE_MATCH, ifNoneMatch);
            addIfPresent(present, IF_MODIFIED_SINCE, ifModifiedSince);
            addIfPresent(present, IF_UNMODIFIED_SINCE, ifUnmodifiedSince);
            throw new BatchException(BatchErrorCode.MultipleConditionHeadersNotSupported,
                    "Multiple condition headers are not supported.",
                    BatchException.detail("HeaderNames", String.join(", ", present)));
        }
        if (!matchGroup && !noneMatchGroup) {
            return access == Access.READ ? NONE_READ : NONE_WRITE;
        }
        // A header the winner makes irrelevant is still validated: a malformed header is a client bug either way.
        return new Preconditions(access, TagCondition.parse(IF_MATCH, ifMatch), TagCondition.parse(IF_NONE_MATCH, ifNoneMatch),
                date(IF_MODIFIED_SINCE, ifModifiedSince), date(IF_UNMODIFIED_SINCE, ifUnmodifiedSince));
    }

    /**
     * @param etag         the resource's current ETag, quoted or not
     * @param lastModified the resource's current last-modified time; compared at second precision, as clients only
     *                     ever saw it in Last-Modified
     */
    public Outcome evaluate(String etag, Instant lastModified) {
        Instant modified = lastModified.truncatedTo(ChronoUnit.SECONDS);
        String current = Tag.opaque(etag);
        if (ifMatch != null) {
            if (!ifMatch.matches(current, true)) {
                return Outcome.CONDITION_NOT_MET;
            }
        } else if (ifUnmodifiedSince != null && modified.isAfter(ifUnmodifiedSince)) {
            return Outcome.CONDITION_NOT_MET;
        }
        boolean unchanged;
        if (ifNoneMatch != null) {
            unchanged = ifNoneMatch.matches(current, false);
        } else {
            unchanged = ifModifiedSince != null && !modified.isAfter(ifModifiedSince);
        }
        if (unchanged) {
            return access == Access.READ ? Outcome.NOT_MODIFIED : Outcome.CONDITION_NOT_MET;
        }
        return Outcome.PROCEED;
    }

    /**
     * Returns normally when the operation may proceed.
     *
     * @throws NotModified    for a read whose resource did not change (the route answers 304)
     * @throws BatchException 412 ConditionNotMet
     */
    public void enforce(String etag, Instant lastModified) {
        switch (evaluate(etag, lastModified)) {
            case PROCEED -> { }
            case NOT_MODIFIED -> throw new NotModified(etag, lastModified);
            case CONDITION_NOT_MET -> throw new BatchException(BatchErrorCode.ConditionNotMet,
                    "The condition specified using HTTP conditional header(s) is not met.");
        }
    }

    public void enforce(StoredResource resource) {
        if (this != NONE_READ && this != NONE_WRITE) {
            enforce(EntityResponses.etag(resource), resource.lastModified());
        }
    }

    private static void addIfPresent(List<String> names, String name, String value) {
        if (value != null) {
            names.add(name);
        }
    }

    private static Instant date(String header, String value) {
        if (value == null) {
            return null;
        }
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim(), Instant::from);
        } catch (DateTimeParseException e) {
            throw BatchException.invalidHeader(header, value,
                    "The value must be an RFC 1123 date, such as Tue, 01 Mar 2022 11:37:02 GMT.");
        }
    }

    /** {@code *} or a list of ETags, as one If-Match or If-None-Match header holds. */
    private record TagCondition(boolean any, List<Tag> tags) {

        static TagCondition parse(String header, String value) {
            if (value == null) {
                return null;
            }
            if (value.trim().equals("*")) {
                return new TagCondition(true, List.of());
            }
            List<Tag> tags = new ArrayList<>();
            // Batch ETags are hex, so no tag holds a comma; splitting on commas is exact for every tag we issue.
            for (String item : value.split(",", -1)) {
                Tag tag = Tag.parse(item.trim());
                if (tag == null) {
                    throw BatchException.invalidHeader(header, value,
                            "The value must be * or a comma-separated list of ETags, such as \"0x8D4100FC49F0278\".");
                }
                tags.add(tag);
            }
            return new TagCondition(false, List.copyOf(tags));
        }

        /**
         * Every condition here acts on an existing resource, so {@code *} always matches. If-Match compares
         * strongly (a weak tag never matches), If-None-Match weakly (RFC 9110 13.1.1 and 13.1.2).
         */
        boolean matches(String currentOpaque, boolean strong) {
            return any || tags.stream().anyMatch(tag -> !(strong && tag.weak()) && tag.opaque().equals(currentOpaque));
        }
    }

    /** One entity tag. Batch sends them unquoted ({@code 0x8D4100FC49F0278}) and clients echo them either way. */
    private record Tag(String opaque, boolean weak) {

        /** The tag, or {@code null} when {@code item} is not one. */
        static Tag parse(String item) {
            boolean weak = item.startsWith("W/");
            String rest = weak ? item.substring(2) : item;
            String opaque = opaque(rest);
            // "*" only means "any" on its own; inside a list it is a client bug, not a tag.
            if (opaque.isEmpty() || rest.equals("*") || opaque.indexOf('"') >= 0
                    || opaque.chars().anyMatch(c -> c <= ' ' || c == 0x7F)) {
                return null;
            }
            return new Tag(opaque, weak);
        }

        /** The tag without its quotes, if it has a pair. */
        static String opaque(String tag) {
            return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
        }
    }
}
