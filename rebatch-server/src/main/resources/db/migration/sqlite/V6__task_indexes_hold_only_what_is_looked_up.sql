-- Two indexes held every task though only some are ever looked up through them, and every task's entries moved at
-- each of its state changes (a grant and a completion: about a third of the index work of each, in a 20,000-task
-- run). Now:
-- resources_dispatch_queue holds only the tasks waiting to be granted (JdbcDispatch.queueQuery names that state as
-- a literal, so the planner can use the predicate): an entry added when a task is queued, removed at its grant,
-- and a job's completed tasks no longer in it.
DROP INDEX resources_dispatch_queue;
CREATE INDEX resources_dispatch_queue ON resources
    (account, queue_pool_key, queue_rank, creation_time, parent_key, id_key)
    WHERE kind = 'TASK' AND queue_pool_key IS NOT NULL AND state = 'active';
-- resources_by_kind_state serves findInState, for jobs, pools and nodes only (ResourceRows.SELECT_IN_STATE says so).
DROP INDEX resources_by_kind_state;
CREATE INDEX resources_by_kind_state ON resources (kind, state) WHERE kind <> 'TASK';
