package dev.rebatch.server.faults;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The faults a rule can inject, under the names the rules file uses. */
public enum FaultType {
    /** 500 InternalError, before the operation runs. */
    INTERNAL_ERROR("internal-error", Stage.BEFORE),
    /** 503 ServerBusy with Retry-After, before the operation runs. */
    SERVER_BUSY("server-busy", Stage.BEFORE),
    /** 429 TooManyRequests with Retry-After (seconds or HTTP-date), before the operation runs. */
    TOO_MANY_REQUESTS("too-many-requests", Stage.BEFORE),
    /** Waits, then processes the request normally. */
    LATENCY("latency", Stage.BEFORE),
    /** Closes the connection before the operation runs: nothing is stored, no response. */
    RESET_BEFORE("reset-before", Stage.BEFORE),
    /** Runs and commits the operation, then closes the connection without a response: the lost-response case. */
    DROP_AFTER_COMMIT("drop-after-commit", Stage.AFTER),
    /** Holds the request for longer than a client waits, then processes it. */
    HANG("hang", Stage.BEFORE);

    /** Whether the fault is decided before the operation runs or after it committed. */
    public enum Stage { BEFORE, AFTER }

    private final String jsonName;
    private final Stage stage;

    FaultType(String jsonName, Stage stage) {
        this.jsonName = jsonName;
        this.stage = stage;
    }

    public String jsonName() {
        return jsonName;
    }

    public Stage stage() {
        return stage;
    }

    static Optional<FaultType> fromJsonName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type.jsonName.equals(lower)).findFirst();
    }
}
