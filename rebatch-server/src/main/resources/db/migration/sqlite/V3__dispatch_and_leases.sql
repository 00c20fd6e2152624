-- Execution (docs/storage.md, "Dispatch and leases"): the columns that let node agents lease tasks. They live on the
-- task's own row, so a grant, a requeue or a completion changes the task and its lease in one version-guarded
-- UPDATE, and the generic UPDATE of the API (which never names them) cannot undo them.
--
-- Queue facts, copied from the task's job (the job's priority and pool change rarely; its tasks are many; every
-- copy is made from the job's current version, one copy of a job at a time):
--   queue_pool_key    the job's poolInfo.poolId, lowercased, while the job is active; NULL when it cannot run
--   queue_rank        minus the job's priority, so that one ascending index reads the highest priority first
-- Lease, set only by the dispatch statements:
--   lease_node        the node holding (or that last held) the task
--   lease_epoch       the fencing epoch: +1 at every grant; a report must name the current one
--   lease_expires_at  epoch microseconds by the service clock (the embedded database has no other); on a node row,
--                     when the node stops counting as alive
ALTER TABLE resources ADD COLUMN queue_pool_key TEXT NULL;
ALTER TABLE resources ADD COLUMN queue_rank INTEGER NULL;
ALTER TABLE resources ADD COLUMN lease_node TEXT NULL;
ALTER TABLE resources ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resources ADD COLUMN lease_expires_at INTEGER NULL;

-- The dispatch query: one pool's waiting tasks, highest priority then oldest first, read as an index range scan.
-- Partial: only tasks whose job can run are in it.
CREATE INDEX resources_dispatch_queue ON resources
    (account, queue_pool_key, state, queue_rank, creation_time, parent_key, id_key)
    WHERE kind = 'TASK' AND queue_pool_key IS NOT NULL;

-- The lease reaper: running tasks whose lease ran out, and nodes that stopped heartbeating.
CREATE INDEX resources_by_lease_expiry ON resources (kind, state, lease_expires_at)
    WHERE lease_expires_at IS NOT NULL;

-- The tasks a node holds (its free slots, reboot and disable-scheduling).
CREATE INDEX resources_by_lease_node ON resources (lease_node, state) WHERE lease_node IS NOT NULL;
