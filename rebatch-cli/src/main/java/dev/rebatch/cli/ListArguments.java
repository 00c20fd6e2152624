package dev.rebatch.cli;

import dev.rebatch.client.ListOptions;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --filter}, {@code --select} and {@code --max-results} of the list commands. */
final class ListArguments {

    @Option(names = "--filter", paramLabel = "ODATA",
            description = "An OData $filter, e.g. \"state eq 'active'\".")
    String filter;

    @Option(names = "--select", paramLabel = "PROPERTIES",
            description = "A $select of properties, e.g. id,state; the table then shows those columns.")
    String select;

    @Option(names = "--max-results", paramLabel = "N",
            description = "Show at most N items (also the page size asked for, up to 1000).")
    Integer maxResults;

    ListOptions options(CommandLine commandLine) {
        if (maxResults != null && maxResults < 1) {
            throw new CommandLine.ParameterException(commandLine, "--max-results must be 1 or more, was " + maxResults);
        }
        return new ListOptions(filter, select, maxResults == null ? null : Math.min(maxResults, 1000));
    }

    <T> Stream<T> limit(Stream<T> items) {
        return maxResults == null ? items : items.limit(maxResults);
    }
}
