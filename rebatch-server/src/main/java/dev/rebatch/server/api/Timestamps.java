package dev.rebatch.server.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Body timestamps are ISO 8601 in UTC (Batch "Common Parameters and Headers"). */
public final class Timestamps {

    private Timestamps() {}

    public static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
