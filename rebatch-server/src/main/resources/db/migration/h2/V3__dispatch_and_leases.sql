-- Execution (docs/storage.md, "Dispatch and leases"): the columns that let node agents lease tasks. They live on the
-- task's own row, so a grant, a requeue or a completion changes the task and its lease in one version-guarded
-- UPDATE, and the generic UPDATE of the API (which never names them) cannot undo them. The same columns as in the
-- PostgreSQL migration, which explains each; H2 has no partial indexes, so its indexes hold every row.
ALTER TABLE resources ADD COLUMN queue_pool_key CHARACTER VARYING NULL;
ALTER TABLE resources ADD COLUMN queue_rank INTEGER NULL;
ALTER TABLE resources ADD COLUMN lease_node CHARACTER VARYING NULL;
ALTER TABLE resources ADD COLUMN lease_epoch BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE resources ADD COLUMN lease_expires_at BIGINT NULL;

-- The dispatch query: one pool's waiting tasks, highest priority then oldest first, read as an index range scan.
CREATE INDEX resources_dispatch_queue ON resources
    (account, queue_pool_key, state, queue_rank, creation_time, parent_key, id_key);

-- The lease reaper: running tasks whose lease ran out, and nodes that stopped heartbeating.
CREATE INDEX resources_by_lease_expiry ON resources (kind, state, lease_expires_at);

-- The tasks a node holds (its free slots, reboot and disable-scheduling).
CREATE INDEX resources_by_lease_node ON resources (lease_node, state);
