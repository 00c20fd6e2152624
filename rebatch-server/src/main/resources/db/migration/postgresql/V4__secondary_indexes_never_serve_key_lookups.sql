-- Every read and write of one resource names its whole key (account, kind, parent_key, id_key), which the primary
-- key answers with one index probe. The JDBC driver prepares these statements on the server, and after five runs
-- PostgreSQL may keep a generic plan; planned on statistics from when the table was small, that plan used
-- resources_by_result (account, kind, parent_key, execution_result) for them, as cheap by its estimate: a scan of every
-- task of the job, filtered by id. A run of many tasks got slower the longer it ran (docs/benchmarks.md, "Execution":
-- 150 tasks/s at 1,000 tasks, 57 tasks/s at 20,000). Made partial on what their own queries always say, these two
-- indexes can no longer be chosen for a key lookup; the counts and filtered lists that use them still can.
DROP INDEX resources_by_result;
CREATE INDEX resources_by_result ON resources (account, kind, parent_key, execution_result)
    WHERE execution_result IS NOT NULL;

DROP INDEX resources_by_state;
CREATE INDEX resources_by_state ON resources (account, kind, parent_key, state, id_key)
    WHERE state IS NOT NULL;
