package dev.rebatch.server.store;

import java.util.Optional;

/**
 * Children were not stored because their parent no longer met its {@link ParentCondition}: it is gone, was replaced
 * by a new resource of the same id, or moved to another state. Nothing of the insert was stored.
 */
public final class ParentChangedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient StoredResource current;

    ParentChangedException(ParentCondition condition, Optional<StoredResource> current) {
        super(condition.parent().kind() + " " + condition.parent().id() + " is "
                + current.map(p -> "now " + p.state()).orElse("gone") + "; expected one of " + condition.states());
        this.current = current.orElse(null);
    }

    /** The parent as it is now; empty when it is gone. */
    public Optional<StoredResource> current() {
        return Optional.ofNullable(current);
    }
}
