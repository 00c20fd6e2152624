-- resources_by_result (V1) held an entry for every row, most of them with a NULL result: every task had one from its
-- add, and its completion moved it. The counts (ResourceRows.countBy) and the filters on executionInfo/result that
-- read this index always constrain execution_result, so it needs only the rows that have one, as PostgreSQL's has
-- since V4: an add now writes no entry here, and a completion adds one rather than moving one. SQLite uses a partial
-- index for a query that says "execution_result IS NOT NULL" or compares execution_result with a value.
DROP INDEX resources_by_result;
CREATE INDEX resources_by_result ON resources (account, kind, parent_key, execution_result)
    WHERE execution_result IS NOT NULL;
