package dev.rebatch.server.store;

import java.nio.file.Path;

/** Another service has the embedded store's data directory open ({@link DataDirectoryLock}). */
public final class DataDirectoryInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    DataDirectoryInUseException(Path dataDir, String holderPid) {
        super("The data directory " + dataDir.toAbsolutePath() + " is in use by another Rebatch service"
                + (holderPid.isEmpty() ? "" : " (process " + holderPid + ")")
                + ". Stop that service, or give this one another data directory (--data DIR).");
    }
}
