package dev.rebatch.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded default, exactly as the service opens it (no JDBC URL). */
class EmbeddedBatchStoreTest extends BatchStoreContract {

    @TempDir
    static Path dataDir;

    @Override
    protected BatchStore openStore() {
        return BatchStores.open(null, dataDir);
    }
}
