-- The tasks a node holds (its lease calls, reboot, disable scheduling, leaving): indexed only while they are leased.
-- resources_by_lease_node (V3) held every task a node ever ran, because a row keeps naming its last holder, and its
-- entries moved at every state change. Planners passed it over for a walk of every task of the account through
-- an index on (account, kind, ...): SQLite, which without statistics prefers the index with more equal columns,
-- and PostgreSQL with statistics taken while the table was small (18,000 index entries read per lease call in a
-- 20,000-task run, pg_stat_user_indexes). This index holds a node's few running tasks (an entry added at the grant,
-- removed at the completion or requeue), matches all three equalities of the query and has its state list as
-- predicate (JdbcDispatch.heldByQuery): the cheapest path whatever the statistics say.
DROP INDEX resources_by_lease_node;
CREATE INDEX resources_held_by_node ON resources (account, kind, lease_node)
    WHERE state IN ('preparing', 'running');
