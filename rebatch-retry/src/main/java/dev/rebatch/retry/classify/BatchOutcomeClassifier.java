package dev.rebatch.retry.classify;

import java.time.Instant;

/**
 * The default classifier: an {@link HttpFailure} anywhere in the cause chain is classified by its status and
 * Batch error code ({@link StatusCodeTable}); otherwise the most specific {@link ExceptionTable} row
 * that matches any exception in the chain decides. Anything else (a bug or a serialization failure in the caller) is
 * {@link Category#CLIENT}: retrying cannot fix it.
 */
public final class BatchOutcomeClassifier implements OutcomeClassifier {

    /** Deep enough for CompletionException(ExecutionException(UncheckedIOException(IOException))) and then some. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private final StatusCodeTable statusTable;

    public BatchOutcomeClassifier() {
        this(StatusCodeTable.batch());
    }

    public BatchOutcomeClassifier(StatusCodeTable statusTable) {
        this.statusTable = statusTable;
    }

    @Override
    public Outcome classify(Throwable failure, Instant now) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof HttpFailure response) {
                return classifyResponse(response, failure, now);
            }
            current = current.getCause();
        }
        ExceptionTable.Row row = ExceptionTable.mostSpecificInChain(failure, MAX_CAUSE_DEPTH);
        if (row != null) {
            return new Outcome(row.category(), 0, null, null, row.timeout(), failure);
        }
        return new Outcome(Category.CLIENT, 0, null, null, false, failure);
    }

    private Outcome classifyResponse(HttpFailure response, Throwable failure, Instant now) {
        int status = response.statusCode();
        Category category = statusTable.categorize(status, response.errorCode());
        return new Outcome(category, status, response.errorCode(), ServerHints.read(response, now), false, failure);
    }
}
