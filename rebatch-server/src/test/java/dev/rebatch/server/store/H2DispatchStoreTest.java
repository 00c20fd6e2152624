package dev.rebatch.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The dispatch contract against H2, the embedded engine kept as the tested alternative. */
class H2DispatchStoreTest extends DispatchStoreContract {

    @TempDir
    static Path dataDir;

    @Override
    protected BatchStore openStore() {
        return BatchStores.openEmbedded(Dialect.H2, dataDir);
    }
}
