package dev.rebatch.cli;

import picocli.CommandLine.Option;

/** {@code --output table|json}. */
final class OutputOptions {

    enum Format {
        TABLE, JSON
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (aligned columns of the useful fields; the default) or json (the Batch JSON, "
                    + "pretty-printed).")
    Format format;
}
