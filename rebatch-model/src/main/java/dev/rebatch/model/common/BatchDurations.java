package dev.rebatch.model.common;

import java.time.Duration;

/** Durations with a meaning on the Batch wire. */
public final class BatchDurations {

    /**
     * What Batch returns for "no limit" (e.g. a job's maxWallClockTime when none was set): .NET's TimeSpan.MaxValue,
     * serialized as {@code P10675199DT2H48M5.4775807S} (spec example JobGet.json).
     */
    public static final Duration UNLIMITED = Duration.parse("P10675199DT2H48M5.4775807S");

    private BatchDurations() {}

    /** Whether {@code duration} means "no limit": null (not set) or {@link #UNLIMITED} or longer. */
    public static boolean isUnlimited(Duration duration) {
        return duration == null || duration.compareTo(UNLIMITED) >= 0;
    }
}
