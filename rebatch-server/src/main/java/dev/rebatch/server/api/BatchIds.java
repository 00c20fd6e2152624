package dev.rebatch.server.api;

import dev.rebatch.server.http.BatchException;
import java.util.regex.Pattern;

/** Batch ids: letters, digits, hyphens and underscores, 1 to 64 characters (spec, CloudJob.id and friends). */
public final class BatchIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private BatchIds() {}

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** The id, or a 400 InvalidPropertyValue naming {@code property} when it is not a valid Batch id. */
    public static String require(String property, String id) {
        if (!isValid(id)) {
            throw BatchException.invalidProperty(property, id == null ? "" : id,
                    "An id may contain only letters, digits, hyphens and underscores, and must be 1 to 64 characters.");
        }
        return id;
    }
}
