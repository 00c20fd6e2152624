package dev.rebatch.server.api.pools;

import dev.rebatch.model.BatchErrorCode;
import dev.rebatch.server.http.BatchException;

/**
 * Which pool operations each state allows, and the 409 each refusal carries (wire-notes 5.5). A pool is "resizing"
 * only while a {@link dev.rebatch.server.nodes.NodeProvisioner} starts agents for it (see
 * {@link dev.rebatch.server.nodes.PoolAllocation}); "stopping" never lasts, since a stop keeps the nodes there are.
 */
final class PoolRules {

    private PoolRules() {}

    /** Patch, update properties: any pool not being deleted. */
    static void requireChangeable(PoolState state) {
        if (state == PoolState.DELETING) {
            throw beingDeleted();
        }
    }

    static void requireDeletable(PoolState state) {
        requireChangeable(state);
    }

    /** Resize: only a steady pool, as one resize at a time is all Batch allows. */
    static void requireResizable(PoolState state, AllocationState allocation) {
        requireChangeable(state);
        if (allocation != AllocationState.STEADY) {
            throw new BatchException(BatchErrorCode.PoolBeingResized, "The specified pool is already being resized.");
        }
    }

    /** Stop resize: only a pool that is resizing (a stop already under way is not stopped again). */
    static void requireStoppable(PoolState state, AllocationState allocation) {
        requireChangeable(state);
        if (allocation != AllocationState.RESIZING) {
            throw new BatchException(BatchErrorCode.OperationInvalidForCurrentState,
                    "The specified pool is not resizing, so there is no resize to stop.");
        }
    }

    static BatchException beingDeleted() {
        return new BatchException(BatchErrorCode.PoolBeingDeleted, "The specified pool has been marked for deletion and is being reclaimed.");
    }
}
