package dev.rebatch.model;

import java.util.List;

/** The Batch REST api-versions Rebatch speaks. */
public final class ApiVersion {

    /** What the official Java SDK com.microsoft.azure:azure-batch 11.2.0 sends. */
    public static final String V2024_07_01 = "2024-07-01.20.0";
    /** What the npm package @azure/batch 10.2.0 sends. */
    public static final String V2022_10_01 = "2022-10-01.16.0";

    public static final List<String> SUPPORTED = List.of(V2024_07_01, V2022_10_01);

    private ApiVersion() {}

    public static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }
}
