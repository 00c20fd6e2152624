package dev.rebatch.model;

/**
 * The Batch error codes Rebatch answers with, each with the HTTP status the Batch documentation gives it
 * ("Batch Status and Error Codes"; see wire-notes.md 3.2). Spelled exactly as on the wire.
 */
public enum BatchErrorCode {
    // 400
    MissingRequiredHeader(400),
    MissingRequiredProperty(400),
    UnsupportedHeader(400),
    UnsupportedProperty(400),
    InvalidHeaderValue(400),
    InvalidPropertyValue(400),
    MissingRequiredQueryParameter(400),
    UnsupportedQueryParameter(400),
    InvalidQueryParameterValue(400),
    OutOfRangeQueryParameterValue(400),
    InvalidRequestBody(400),
    InvalidInput(400),
    MultipleConditionHeadersNotSupported(400),
    UnsupportedRequestVersion(400),
    TaskDependenciesNotSpecifiedOnJob(400),
    TaskDependencyListTooLong(400),
    TaskDependencyRangesTooLong(400),
    // 403
    AuthenticationFailed(403),
    // 404
    ResourceNotFound(404),
    PoolNotFound(404),
    NodeNotFound(404),
    JobNotFound(404),
    TaskNotFound(404),
    FileNotFound(404),
    // 405
    UnsupportedHttpVerb(405),
    // 409
    OperationInvalidForCurrentState(409),
    PoolBeingDeleted(409),
    PoolBeingResized(409),
    PoolExists(409),
    JobExists(409),
    JobBeingTerminated(409),
    JobBeingDeleted(409),
    JobDisabled(409),
    JobCompleted(409),
    JobNotActive(409),
    TaskExists(409),
    TaskCompleted(409),
    TaskNotCompleted(409),
    TaskSucceeded(409),
    TaskFilesUnavailable(409),
    TaskFilesCleanedup(409),
    NodeAlreadyInTargetSchedulingState(409),
    NodeBeingRebooted(409),
    NodeStateUnusable(409),
    // 412 (and 304 for reads)
    ConditionNotMet(412),
    // 413
    RequestBodyTooLarge(413),
    // 416
    InvalidRange(416),
    // 429
    TooManyRequests(429),
    // 500
    InternalError(500),
    OperationTimedOut(500),
    // 501: an operation of the spec that Rebatch does not implement
    NotImplemented(501),
    // 503
    ServerBusy(503),

    // Rebatch's own codes, answered only on the node-agent protocol (/rebatch/node-agent/v1), never to a Batch client.
    /** 403: the x-rebatch-node-token header is missing or is not the token the node was registered with. */
    NodeTokenInvalid(403),
    /** 409: a report names a fencing epoch that is not the task's current one: a newer lease superseded it. */
    LeaseEpochStale(409),
    /** 409: the reporting node does not hold the task's lease (it was requeued, completed or ended meanwhile). */
    LeaseNotHeld(409),
    /**
     * 409: a registration names a node that exists and was registered with another node token or another body (a
     * repeat with the same token and body answers the node again).
     */
    NodeExists(409);

    private final int httpStatus;

    BatchErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
