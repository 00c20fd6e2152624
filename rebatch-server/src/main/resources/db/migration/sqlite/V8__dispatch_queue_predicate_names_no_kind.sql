-- resources_dispatch_queue (V6) said kind = 'TASK' in its predicate. SQLite, when it plans a statement that compares
-- a column with a parameter, checks whether the parameter's value could satisfy a partial index's predicate on that
-- column, and if so marks the statement to be compiled again whenever that parameter is bound. Every statement that
-- finds a row by its key (kind = ?: ResourceRows.KEY_MATCH, CHILDREN_MATCH) was therefore compiled anew at every
-- execution: a grant's UPDATE took about 80 µs with it here, 35 µs without. Only tasks are ever queued (their queue
-- facts are the only ones written), so the predicate needs no kind; the queue query still says kind = 'TASK' and
-- state = 'active', which imply it. EmbeddedDispatchStoreTest keeps such predicates out of the schema.
DROP INDEX resources_dispatch_queue;
CREATE INDEX resources_dispatch_queue ON resources
    (account, queue_pool_key, queue_rank, creation_time, parent_key, id_key)
    WHERE queue_pool_key IS NOT NULL AND state = 'active';
