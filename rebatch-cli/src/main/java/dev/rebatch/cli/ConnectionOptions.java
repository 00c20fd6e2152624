package dev.rebatch.cli;

import dev.rebatch.client.BatchClient;
import dev.rebatch.retry.policy.RetryPolicyProvider;
import dev.rebatch.server.auth.AccountRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where the service is, which account to use, and how hard to try: the options every client command takes. */
final class ConnectionOptions {

    static final String ENDPOINT_VARIABLE = "REBATCH_ENDPOINT";
    static final String NAME_VARIABLE = AccountRegistry.NAME_VARIABLE;
    static final String KEY_VARIABLE = AccountRegistry.KEY_VARIABLE;
    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8070";

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "The account endpoint (default: $" + ENDPOINT_VARIABLE + ", else " + DEFAULT_ENDPOINT + ").")
    String endpoint;

    @Option(names = "--account-name", paramLabel = "NAME",
            description = "The account name (default: $" + NAME_VARIABLE + ", else the development account).")
    String accountName;

    @Option(names = "--account-key", paramLabel = "BASE64",
            description = "The account key (default: $" + KEY_VARIABLE + "; prefer the variable: a key on the command "
                    + "line shows in the process list).")
    String accountKey;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
            description = "Retries after network errors, 5xx and throttling (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--debug", description = "Print stack traces and the SDK's retry log.")
    boolean debug;

    /** The resolved endpoint and credentials. */
    record Connection(String endpoint, String accountName, boolean developmentAccount, BatchClient client) {}

    /**
     * Resolves the endpoint and credentials (options, then the environment, then the local defaults, saying so on
     * {@code err} when a default is used) and builds the client.
     *
     * @throws CommandLine.ParameterException when the options cannot make a client
     */
    Connection connect(CommandLine commandLine, Map<String, String> environment, PrintWriter err) {
        if (retries < 0 || retries > 20) {
            throw new CommandLine.ParameterException(commandLine, "--retries must be from 0 to 20, was " + retries);
        }
        List<String> defaults = new ArrayList<>();
        String url = firstOf(endpoint, environment.get(ENDPOINT_VARIABLE));
        if (url == null) {
            url = DEFAULT_ENDPOINT;
            defaults.add("the endpoint " + DEFAULT_ENDPOINT + " (no --endpoint or " + ENDPOINT_VARIABLE + ")");
        }
        String name = firstOf(accountName, environment.get(NAME_VARIABLE));
        String key = firstOf(accountKey, environment.get(KEY_VARIABLE));
        boolean development = name == null && key == null;
        if (development) {
            name = AccountRegistry.DEVELOPMENT_ACCOUNT_NAME;
            key = AccountRegistry.DEVELOPMENT_ACCOUNT_KEY;
            defaults.add("the development account " + name + " (no --account-name/--account-key or " + NAME_VARIABLE
                    + "/" + KEY_VARIABLE + ")");
        } else if (name == null || key == null) {
            throw new CommandLine.ParameterException(commandLine, "The account needs both a name and a key: "
                    + (name == null ? "give --account-name or set " + NAME_VARIABLE
                            : "give --account-key or set " + KEY_VARIABLE) + ".");
        }
        if (debug) {
            // Read by slf4j-simple when the SDK's loggers are created, which is after this in a fresh JVM.
            System.setProperty("org.slf4j.simpleLogger.log.dev.rebatch", "debug");
        }
        BatchClient client;
        try {
            client = BatchClient.builder()
                    .endpoint(url)
                    .sharedKey(name, key)
                    .retryPolicy(RetryPolicyProvider.exponentialRetry(Duration.ofMillis(500), retries))
                    .attemptTimeout(Duration.ofSeconds(30))
                    .build();
        } catch (IllegalArgumentException unusable) {
            throw new CommandLine.ParameterException(commandLine, unusable.getMessage());
        }
        if (!defaults.isEmpty()) {
            err.println("rebatch: using " + String.join(" and ", defaults) + ".");
            err.flush();
        }
        return new Connection(url, name, development, client);
    }

    private static String firstOf(String option, String variable) {
        if (option != null && !option.isBlank()) {
            return option.strip();
        }
        return variable == null || variable.isBlank() ? null : variable.strip();
    }
}
