package dev.rebatch.node.agent;

import dev.rebatch.model.agent.NodeRegistration;
import dev.rebatch.model.agent.NodeRegistrationRequest;
import dev.rebatch.model.common.BatchJson;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an agent remembers the node it registers as (pool, node id and token), so that a later run can make a node
 * left behind leave its pool. It is written before the registration call (the agent names its node itself), so that a
 * node whose registration answer never arrived is found too, and again with the answer. The token is a secret: the
 * file is readable by its owner only.
 */
final class RegistrationFile {

    private static final Logger log = LoggerFactory.getLogger(RegistrationFile.class);

    private final Path file;

    RegistrationFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Optional<NodeRegistration> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            NodeRegistration registration = BatchJson.mapper().readValue(file.toFile(), NodeRegistration.class);
            if (registration.nodeId() == null || registration.nodeToken() == null || registration.poolId() == null) {
                return Optional.empty();
            }
            return Optional.of(registration);
        } catch (IOException unreadable) {
            log.warn("Ignoring {}: {}", file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    /** Remembers the node {@code request} names before it is registered: the answer may never come. */
    void writeBeforeRegistering(String poolId, NodeRegistrationRequest request) {
        write(new NodeRegistration(request.nodeId(), request.nodeToken(), poolId, null, 0, 0, 0, 0, null));
    }

    void write(NodeRegistration registration) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".node-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            BatchJson.mapper().writeValue(temporary.toFile(), registration);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException notAtomic) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // The node runs all the same; only a crash would leave it behind in the pool.
            log.warn("Cannot remember node {} in {}: {}", registration.nodeId(), file, e.getMessage());
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
