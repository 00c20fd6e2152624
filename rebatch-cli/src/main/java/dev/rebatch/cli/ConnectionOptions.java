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
        checkRetries(commandLine);
        List<String> defaults = new ArrayList<>();
        String url = endpoint(environment);
        if (url == null) {
            url = DEFAULT_ENDPOINT;
            defaults.add("the endpoint " + DEFAULT_ENDPOINT + " (no --endpoint or " + ENDPOINT_VARIABLE + ")");
        }
        Credentials credentials = credentials(commandLine, environment);
        if (credentials.development()) {
            defaults.add("the development account " + credentials.name() + " (no --account-name/--account-key or "
                    + NAME_VARIABLE + "/" + KEY_VARIABLE + ")");
        }
        BatchClient client = client(commandLine, url, credentials);
        if (!defaults.isEmpty()) {
            err.println("rebatch: using " + String.join(" and ", defaults) + ".");
            err.flush();
        }
        return new Connection(url, credentials.name(), credentials.development(), client);
    }

    /** The endpoint from --endpoint or the environment, or {@code null} when neither gives one. */
    String endpoint(Map<String, String> environment) {
        return firstOf(endpoint, environment.get(ENDPOINT_VARIABLE));
    }

    /** An account name and its Base64 key; {@code development} when they are the built-in development account's. */
    record Credentials(String name, String key, boolean development) {}

    /**
     * The account from the options, then the environment, else the development account.
     *
     * @throws CommandLine.ParameterException when only one of the name and the key is given
     */
    Credentials credentials(CommandLine commandLine, Map<String, String> environment) {
        String name = firstOf(accountName, environment.get(NAME_VARIABLE));
        String key = firstOf(accountKey, environment.get(KEY_VARIABLE));
        if (name == null && key == null) {
            return new Credentials(AccountRegistry.DEVELOPMENT_ACCOUNT_NAME, AccountRegistry.DEVELOPMENT_ACCOUNT_KEY,
                    true);
        }
        if (name == null || key == null) {
            throw new CommandLine.ParameterException(commandLine, "The account needs both a name and a key: "
                    + (name == null ? "give --account-name or set " + NAME_VARIABLE
                            : "give --account-key or set " + KEY_VARIABLE) + ".");
        }
        return new Credentials(name, key, false);
    }

    /**
     * The SDK client for {@code url} as {@code credentials}, with the short retry policy of --retries.
     *
     * @throws CommandLine.ParameterException when the options cannot make a client
     */
    BatchClient client(CommandLine commandLine, String url, Credentials credentials) {
        checkRetries(commandLine);
        if (debug) {
            // Read by slf4j-simple when the SDK's loggers are created, which is after this in a fresh JVM.
            System.setProperty("org.slf4j.simpleLogger.log.dev.rebatch", "debug");
        }
        try {
            return BatchClient.builder()
                    .endpoint(url)
                    .sharedKey(credentials.name(), credentials.key())
                    .retryPolicy(RetryPolicyProvider.exponentialRetry(Duration.ofMillis(500), retries))
                    .attemptTimeout(Duration.ofSeconds(30))
                    .build();
        } catch (IllegalArgumentException unusable) {
            throw new CommandLine.ParameterException(commandLine, unusable.getMessage());
        }
    }

    private void checkRetries(CommandLine commandLine) {
        if (retries < 0 || retries > 20) {
            throw new CommandLine.ParameterException(commandLine, "--retries must be from 0 to 20, was " + retries);
        }
    }

    private static String firstOf(String option, String variable) {
        if (option != null && !option.isBlank()) {
            return option.strip();
        }
        return variable == null || variable.isBlank() ? null : variable.strip();
    }
}
