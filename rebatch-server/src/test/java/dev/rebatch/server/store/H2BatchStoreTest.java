package dev.rebatch.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract against H2, the embedded engine not chosen: it stays supported, so it stays tested. */
class H2BatchStoreTest extends BatchStoreContract {

    @TempDir
    static Path dataDir;

    @Override
    protected BatchStore openStore() {
        return BatchStores.openEmbedded(Dialect.H2, dataDir);
    }
}
