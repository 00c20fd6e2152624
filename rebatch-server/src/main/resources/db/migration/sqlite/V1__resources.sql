-- One table holds every Batch resource (pools, jobs, tasks, nodes). The key columns hold lowercased ids, because
-- Batch ids are case-insensitive; id and parent_id keep the spelling the client used.
-- TEXT compares with the BINARY collation, so id order is the same as in the other databases.
-- A rowid table (not WITHOUT ROWID): the JSON bodies are large compared to a page, which is the case the
-- SQLite documentation advises keeping rowid tables for.
CREATE TABLE resources (
    account               TEXT    NOT NULL,
    kind                  TEXT    NOT NULL,
    parent_key            TEXT    NOT NULL,
    id_key                TEXT    NOT NULL,
    parent_id             TEXT    NOT NULL,
    id                    TEXT    NOT NULL,
    state                 TEXT    NOT NULL,
    body                  TEXT    NOT NULL,
    version               INTEGER NOT NULL,
    creation_time         INTEGER NOT NULL,
    last_modified         INTEGER NOT NULL,
    state_transition_time INTEGER NOT NULL,
    exit_code             INTEGER NULL,
    execution_result      TEXT    NULL,
    create_request_id     TEXT    NULL,
    -- Also the index every list walks: equality on the first three, range and order on id_key.
    PRIMARY KEY (account, kind, parent_key, id_key)
);

-- Lists filtered on state read in id order from here; countByState counts from it.
CREATE INDEX resources_by_state ON resources (account, kind, parent_key, state, id_key);

-- countByResult, and filters on the execution result.
CREATE INDEX resources_by_result ON resources (account, kind, parent_key, execution_result);
