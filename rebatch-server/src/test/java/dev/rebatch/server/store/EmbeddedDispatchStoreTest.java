package dev.rebatch.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The dispatch contract against the embedded default, as the service opens it. */
class EmbeddedDispatchStoreTest extends DispatchStoreContract {

    @TempDir
    static Path dataDir;

    @Override
    protected BatchStore openStore() {
        return BatchStores.open(null, dataDir);
    }
}
